// SluiceSQLite
