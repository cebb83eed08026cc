// The PostgreSQL target: see SluicePostgres.docc (work in progress).
