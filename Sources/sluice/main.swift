import SluiceCommands

await SluiceCommand.main()
