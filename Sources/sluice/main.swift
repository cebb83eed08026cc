import SluiceCommands

await SluiceCommand.runFromCommandLine()
