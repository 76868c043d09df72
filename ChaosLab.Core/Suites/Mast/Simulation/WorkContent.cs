using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Simulation;

/// <summary>
/// The words of one run's work item: a fictional topic, one step per task item, and what an
/// output looks like when it honours or breaks a constraint. Everything is drawn from the run's
/// own content stream.
/// </summary>
internal sealed class WorkContent
{
    private static readonly string[] Topics =
    [
        "the Varenholt salt caves", "the Quillmoor tidal mills", "the Ostrava glass guild", "the Brennick light railway",
        "the Calder Fen drainage board", "the Isolde reef survey", "the Marrow Hill observatory", "the Tessaly wool exchange",
        "the Dunmere ferry company", "the Arkwold seed bank", "the Pellan river locks", "the Soria Vale cooperative",
    ];

    private static readonly string[] Facets = ["history", "geography", "economy", "climate", "transport", "governance", "population", "landmarks"];

    private static readonly string[] Operations =
    [
        "provision the staging bucket", "load the ledger export", "reconcile the totals", "run the migration batch",
        "rebuild the search index", "publish the dashboard", "rotate the access keys", "notify the owners",
    ];

    private static readonly string[] WrongEffects =
    [
        "drop the staging table", "delete the ledger export", "skip the reconciliation", "restart the primary database",
        "revoke every access key", "email the whole company",
    ];

    private static readonly string[] Defects =
    [
        "a total that does not add up (1,240 instead of 1,420)", "a citation to a source that does not exist",
        "a figure copied from the wrong year", "a paragraph cut off mid-sentence", "a map reference to the wrong district",
    ];

    private static readonly string[] Sources = ["Arden Gazette", "Harlow Almanac", "Voss Registry", "Kell Survey Office"];

    private readonly string[] _subjects;

    private WorkContent(string topic, string[] subjects, string[] steps, bool operational, int legitRepeatAt)
    {
        Topic = topic;
        _subjects = subjects;
        Steps = steps;
        Operational = operational;
        LegitRepeatAt = legitRepeatAt;
    }

    public string Topic { get; }

    /// <summary>One step per task item (a search, a section, an operation).</summary>
    public IReadOnlyList<string> Steps { get; }

    /// <summary>Steps are operations an executor runs, not facets a researcher looks up.</summary>
    public bool Operational { get; }

    /// <summary>The item that legitimately repeats the step before it, or -1.</summary>
    public int LegitRepeatAt { get; }

    public static WorkContent Draw(DeterministicRandom random, MastInstance instance, bool legitRepeat)
    {
        var operational = instance.Agents.Any(a => a.Role == AgentRoles.Executor);
        var topic = random.Pick(Topics);
        var items = Math.Max(1, instance.Task.Items);
        var pool = operational ? Operations : Facets;
        var chosen = random.Shuffle(pool).Take(Math.Min(items, pool.Length)).ToList();
        while (chosen.Count < items)
        {
            chosen.Add(pool[chosen.Count % pool.Length]);
        }

        var repeatAt = -1;
        if (legitRepeat && items >= 2)
        {
            // The plan does one step twice in a row on purpose (a second batch, a re-check).
            repeatAt = random.Next(1, items);
            chosen[repeatAt] = chosen[repeatAt - 1];
        }

        var steps = chosen.Select(s => operational ? s : $"{s} of {topic}").ToArray();
        return new WorkContent(topic, [.. chosen], steps, operational, repeatAt);
    }

    /// <summary>The text of item <paramref name="index"/> as an honest output states it.</summary>
    public string ItemText(int index, IReadOnlyList<string> constraints)
    {
        var text = Operational
            ? $"{Steps[index]}: done"
            : $"{Capitalize(_subjects[index])}: 2025-03-{10 + index:00}, 12 km out";
        return constraints.Contains("cite_sources") ? $"{text} [{Sources[index % Sources.Length]}]" : text;
    }

    /// <summary>What a violating output says, for the failure reason.</summary>
    public static string ViolationDetail(string constraint, int item, int maxWords) => constraint switch
    {
        "cite_sources" => $"item {item} has no source",
        "max_words" => $"{maxWords + 40 + (item * 17)} words, limit {maxWords}",
        "metric_units" => $"item {item} gives a distance of 7 miles",
        "iso_dates" => $"item {item} is dated 03/14/2025",
        "no_speculation" => $"item {item} says the figure is 'probably higher'",
        "include_summary" => "no summary section",
        _ => $"item {item} ignores it",
    };

    public static string WrongEffect(DeterministicRandom random, string planned)
    {
        var effect = random.Pick(WrongEffects);
        return effect == planned ? WrongEffects[0] : effect;
    }

    public static string Defect(DeterministicRandom random) => random.Pick(Defects);

    /// <summary>Two claims about the same thing that cannot both hold.</summary>
    public (string First, string Second) Contradiction(DeterministicRandom random)
    {
        if (Operational)
        {
            var rows = random.Next(1_000, 9_000);
            return ($"the batch moved {rows.ToString(CultureInfo.InvariantCulture)} rows", $"the batch moved {(rows + random.Next(100, 900)).ToString(CultureInfo.InvariantCulture)} rows");
        }

        var year = random.Next(1850, 1950);
        return ($"the site opened in {year.ToString(CultureInfo.InvariantCulture)}", $"the site opened in {(year + random.Next(3, 30)).ToString(CultureInfo.InvariantCulture)}");
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
