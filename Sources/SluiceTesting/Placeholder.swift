// Test support: see PostgresServer.swift (work in progress).
