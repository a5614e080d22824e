using Microsoft.Data.Sqlite;

namespace Switchboard.Gateway.Auth;

/// <summary>Versioned schema migrations for the SQLite store, applied in order at start-up, each once.</summary>
internal static class SqliteMigrations
{
    private static readonly string[] Migrations =
    [
        // 1: virtual keys, stored hashed.
        """
        CREATE TABLE virtual_keys (
            id TEXT PRIMARY KEY,
            name TEXT,
            key_hash TEXT NOT NULL UNIQUE,
            prefix TEXT NOT NULL,
            models TEXT NOT NULL DEFAULT '[]',
            expires_at TEXT,
            rpm INTEGER,
            tpm INTEGER,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        """,
    ];

    public static void Apply(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);");
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        var current = Convert.ToInt32(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, Migrations[version - 1], transaction);
            Execute(connection, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, datetime('now'));", transaction);
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
