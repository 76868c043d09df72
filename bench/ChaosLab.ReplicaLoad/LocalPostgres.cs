using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChaosLab.ReplicaLoad;

/// <summary>
/// A PostgreSQL server of its own in a temporary directory on a free loopback port, as the test
/// suite's (initdb + pg_ctl, as the <c>postgres</c> user when run as root, which initdb refuses),
/// holding one database <c>chaoslab</c> with byte-order collation as deploy/ creates it. Durable by
/// default (fsync on), since this measures a deployment; stopped and deleted on dispose.
/// </summary>
internal sealed class LocalPostgres : IAsyncDisposable
{
    private const string User = "chaoslab";
    private const string Database = "chaoslab";
    private static readonly bool AsRoot = Environment.UserName == "root";

    private readonly string _bin;
    private readonly string _data;
    private readonly int _port;

    private LocalPostgres(string bin, string data, int port) => (_bin, _data, _port) = (bin, data, port);

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Database = Database,
        Username = User,
    }.ConnectionString;

    /// <param name="directory">An empty folder for the cluster; it must outlive this server.</param>
    public static async Task<LocalPostgres> StartAsync(string directory, bool fsync)
    {
        var bin = Locate() ?? throw new InvalidOperationException("PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin; Debian: apt-get install postgresql).");
        if (AsRoot)
        {
            await RunAsync("chown", false, "postgres:postgres", directory);
        }

        var data = Path.Combine(directory, "data");
        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), AsRoot, "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C");

        // Two replicas' pools (100 each by default) plus this tool's connections.
        var settings = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=300"
            + (fsync ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        await RunAsync(Path.Combine(bin, "pg_ctl"), AsRoot, "-D", data, "-o", settings, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start");
        var server = new LocalPostgres(bin, data, port);
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Database} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", admin);
        await create.ExecuteNonQueryAsync();
        return server;
    }

    /// <summary>Episodes in the store, by whether they have ended.</summary>
    public async Task<(long Total, long Ended)> CountEpisodesAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(ended_at) FROM episodes", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync(Path.Combine(_bin, "pg_ctl"), AsRoot, "-D", _data, "-m", "fast", "-w", "stop");
    }

    private static async Task RunAsync(string program, bool asPostgres, params string[] arguments)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (asPostgres ? ["-u", "postgres", "--", program] : Array.Empty<string>()).Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? Locate() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
}
