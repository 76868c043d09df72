using System.Diagnostics;
using System.Globalization;
using ChaosLab.Core.Sandbox;
using ChaosLab.Core.Suites.Gauntlet;
using ChaosLab.Core.Suites.Gauntlet.Harness;
using ChaosLab.Core.Suites.Gauntlet.Pieces;

// Grading one submission against a full adversarial set (issue 14: under 2 s on this machine):
// per served piece, the hardened solution kept in the tests and the original code, each graded
// on the expert hidden draw of one seed (12 cases) in the real sandbox. A warm-up grading, then
// the median and the best of N timed gradings, wall time as a caller waits for it.
//   dotnet run -c Release --project bench/ChaosLab.GauntletBench [-- gradings, default 10]
var gradings = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
const long Seed = 20_261_130;

using var sandbox = new BubblewrapSandbox(new BubblewrapSandboxOptions());
if (!sandbox.Availability.IsAvailable)
{
    Console.Error.WriteLine($"No sandbox here: {sandbox.Availability.Reason}");
    return 1;
}

var grader = new GauntletGrader(new GauntletHarness(sandbox));
var solutions = Path.Combine(RepositoryRoot(), "ChaosLab.Tests", "Suites", "Gauntlet", "Solutions");
Console.WriteLine($"{sandbox.Availability.Reason}");
Console.WriteLine($"expert hidden draw, seed {Seed}; {gradings} timed gradings after a warm-up; {Environment.ProcessorCount} cores");
Console.WriteLine("| piece | code | cases | calls | score | median ms | best ms |");
Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
foreach (var piece in GauntletSuiteServiceCollectionExtensions.ServedPieces)
{
    var draw = new CaseDraw(Seed, CaseDraw.HiddenStream, GauntletDifficulty.ForTier(piece, "expert"));
    var hardened = File.ReadAllText(Path.Combine(solutions, piece.Id + "_hardened.py"));
    foreach (var (label, code) in new[] { ("hardened", hardened), ("original", piece.OriginalSource) })
    {
        var warm = await grader.GradeAsync(piece, code, draw);
        var times = new List<double>();
        for (var i = 0; i < gradings; i++)
        {
            var clock = Stopwatch.StartNew();
            await grader.GradeAsync(piece, code, draw);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var calls = warm.Cases.Cases.Sum(c => c.Calls.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {piece.Id} | {label} | {warm.Cases.Cases.Count} | {calls} | {warm.Score.Score:0.###} | {times[times.Count / 2]:0} | {times[0]:0} |"));
    }
}

return 0;

static string RepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ChaosLab.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("ChaosLab.sln not found above the bench.");
}
