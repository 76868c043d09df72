using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChaosLab.Tests.Infrastructure.Postgres;

/// <summary>
/// One PostgreSQL server for the whole test run, started on first use: <c>initdb</c> into a
/// temporary directory and <c>pg_ctl start</c> on a free loopback port (as the <c>postgres</c>
/// user when the tests run as root, which <c>initdb</c> refuses), stopped and deleted when the
/// test process exits. Each test asks for its own empty database. Durability is off (fsync,
/// synchronous commit): a test server's data dies with the run anyway.
/// </summary>
public static class PostgresServer
{
    public const string RequireVariable = "CHAOSLAB_REQUIRE_POSTGRES";

    private const string User = "chaoslab";
    private static readonly Lazy<Task<Instance>> Started = new(StartAsync);

    /// <summary>The folder holding <c>initdb</c>, <c>pg_ctl</c> and <c>postgres</c>, or null when PostgreSQL is not installed.</summary>
    public static string? BinDirectory { get; } = Locate();

    /// <summary>Set in CI: missing PostgreSQL fails the PostgreSQL tests instead of skipping them.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    public static string MissingReason =>
        "PostgreSQL is not installed (no initdb on PATH or under /usr/lib/postgresql/*/bin; Debian: apt-get install postgresql). " +
        $"Set {RequireVariable}=1 to make this a failure instead of a skip.";

    /// <summary>A new empty database (UTF-8, byte-order "C" collation) on the run's server.</summary>
    /// <returns>Its connection string.</returns>
    public static async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var server = await Started.Value;
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return server.ConnectionString(name);
    }

    private static async Task<Instance> StartAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException(MissingReason);
        var parent = Path.Combine(Path.GetTempPath(), "chaoslab-tests");
        RemoveStopped(parent);
        var directory = Path.Combine(parent, "pg-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("chown", false, "postgres:postgres", directory);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), asRoot, "-D", data, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
        var settings = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500";
        await RunAsync(Path.Combine(bin, "pg_ctl"), asRoot, "-D", data, "-o", settings, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start");
        var instance = new Instance(port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            // Immediate: nothing on a test server is worth a clean checkpoint.
            // The host may end the process before the folder is gone: the next run removes it.
            RunAsync(Path.Combine(bin, "pg_ctl"), asRoot, "-D", data, "-m", "immediate", "-w", "stop").GetAwaiter().GetResult();
            Directory.Delete(directory, recursive: true);
        };
        return instance;
    }

    /// <summary>Deletes the folders of earlier runs' servers that are no longer running (no <c>postmaster.pid</c>).</summary>
    private static void RemoveStopped(string parent)
    {
        if (!Directory.Exists(parent))
        {
            return;
        }

        foreach (var folder in Directory.GetDirectories(parent, "pg-*").Where(f => !File.Exists(Path.Combine(f, "data", "postmaster.pid"))))
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Another test process is creating it right now, or removing it too.
            }
        }
    }

    private static async Task RunAsync(string program, bool asPostgres, params string[] arguments)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
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

    private static string? Locate()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        // Debian installs the server's programs out of PATH, one folder per major version.
        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
    }

    private sealed record Instance(int Port)
    {
        public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Database = database,
            Username = User,
            IncludeErrorDetail = true,
        }.ConnectionString;
    }
}

/// <summary>
/// A test that needs PostgreSQL: skipped with a reason when it is not installed, unless
/// <see cref="PostgresServer.Required"/>, in which case it runs and fails.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.BinDirectory is null && !PostgresServer.Required)
        {
            Skip = PostgresServer.MissingReason;
        }
    }
}

/// <summary>A theory over providers or cases that needs PostgreSQL; skipped or required as <see cref="PostgresFactAttribute"/>.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.BinDirectory is null && !PostgresServer.Required)
        {
            Skip = PostgresServer.MissingReason;
        }
    }
}
