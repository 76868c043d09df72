using System.Globalization;
using ChaosLab.BenchServers;

namespace ChaosLab.ReplicaLoad;

/// <summary>The command line: how many sessions, how many steps, through HAProxy or not, durable or not.</summary>
internal sealed record LoadOptions(string ServerDll, int SessionsPerReplica, int Steps, bool ViaHaproxy, bool Fsync)
{
    public const string HaproxyExecutable = "/usr/sbin/haproxy";

    public static LoadOptions Parse(string[] args)
    {
        var serverDll = Path.Combine(RepositoryRoot.Find(), "ChaosLab.Web", "bin", "Release", "net10.0", "ChaosLab.Web.dll");
        var (sessions, steps, viaHaproxy, fsync) = (2000, 5, File.Exists(HaproxyExecutable), true);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--via-haproxy": viaHaproxy = true; break;
                case "--direct": viaHaproxy = false; break;
                case "--sessions-per-replica": sessions = Positive(Value(args, ++i)); break;
                case "--steps": steps = Positive(Value(args, ++i)); break;
                case "--server": serverDll = Path.GetFullPath(Value(args, ++i)); break;
                case "--fsync":
                    fsync = Value(args, ++i) switch
                    {
                        "on" => true,
                        "off" => false,
                        var other => throw new ArgumentException($"--fsync takes 'on' or 'off', not '{other}'."),
                    };
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}; see the comment at the top of Program.cs.");
            }
        }

        if (viaHaproxy && !File.Exists(HaproxyExecutable))
        {
            throw new ArgumentException($"--via-haproxy needs {HaproxyExecutable} (Debian: apt-get install haproxy); use --direct without it.");
        }

        if (!File.Exists(serverDll))
        {
            throw new FileNotFoundException($"{serverDll} is missing: run the tool with -c Release (building it builds the server).");
        }

        return new LoadOptions(serverDll, sessions, steps, viaHaproxy, fsync);
    }

    private static string Value(string[] args, int index) =>
        index < args.Length ? args[index] : throw new ArgumentException($"{args[index - 1]} needs a value.");

    private static int Positive(string value) =>
        int.TryParse(value, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"'{value}' is not a positive number.");
}
