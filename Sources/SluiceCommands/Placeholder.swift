// SluiceCommands
