using System.Text.Json.Nodes;

namespace ChaosLab.Web.Model.Results;

/// <summary>One requirement tier's verdict.</summary>
/// <param name="Graded">Whether the tier counts at this difficulty; an ungraded tier has no credit.</param>
/// <param name="Cases">Cases that exercised the tier, when said.</param>
/// <param name="Passed">Of those, the cases on which the tier passed.</param>
/// <param name="Credit">The tier's credit in [0, 1]: as the suite wrote it, else passed over cases.</param>
/// <param name="FirstFailure">The first failing check's message, if any failed.</param>
public sealed record TierVerdict(int Tier, string Name, bool Graded, int? Cases, int? Passed, double? Credit, string? FirstFailure)
{
    /// <summary>passed (full credit), partial, failed (none or a failure without credit), ungraded, or unknown (neither credit nor failure given).</summary>
    public string Verdict => !Graded ? "ungraded" : Credit switch
    {
        null => FirstFailure is null ? "unknown" : "failed",
        >= 1 => "passed",
        > 0 => "partial",
        _ => "failed",
    };
}

/// <summary>One named check of a case.</summary>
/// <param name="Tier">The tier the check belongs to, when said.</param>
/// <param name="Evidence">The input that broke it (or any evidence the suite kept), as pretty JSON.</param>
public sealed record CheckVerdict(int? Tier, string Check, bool Passed, string? Message, string? Evidence);

/// <summary>One case: an input the code was run on, and its checks (failed first, then by tier).</summary>
/// <param name="Summary">What the case is, as the suite described it.</param>
/// <param name="Stdout">What the code printed on this case.</param>
/// <param name="Skipped">Checks left out because they were unreadable.</param>
public sealed record CaseVerdict(string Id, string? Summary, bool Passed, string? Stdout, IReadOnlyList<CheckVerdict> Checks, int Skipped)
{
    public int FailedChecks => Checks.Count(c => !c.Passed);
}

/// <summary>
/// The <c>tier_verdicts</c> convention of step results: code graded against tiers of requirements,
/// <c>{"scope","score","failure","tiers":[{"tier","name","graded","cases","passed","credit",
/// "first_failure"}],"cases":[{"case","summary","passed","stdout","checks":[{"tier","check","passed",
/// "message","evidence"}]}]}</c>. Tiers come in tier order, cases failed first. A tier, case or
/// check that is not of the shape is skipped and counted, so a mangled entry never breaks the page.
/// </summary>
public sealed class TierVerdicts
{
    /// <summary>The convention's property name.</summary>
    public const string PropertyName = "tier_verdicts";

    private TierVerdicts(string? scope, double? score, string? failure, IReadOnlyList<TierVerdict> tiers, IReadOnlyList<CaseVerdict> cases, int skipped)
    {
        Scope = scope;
        Score = score;
        Failure = failure;
        Tiers = tiers;
        Cases = cases;
        Skipped = skipped;
    }

    /// <summary>What was graded, e.g. "public examples" or "hidden cases".</summary>
    public string? Scope { get; }

    /// <summary>The overall score in [0, 1], when given.</summary>
    public double? Score { get; }

    /// <summary>Why nothing could be checked (the code did not compile, the sandbox refused it).</summary>
    public string? Failure { get; }

    public IReadOnlyList<TierVerdict> Tiers { get; }

    /// <summary>Failed cases first, each group in the suite's order.</summary>
    public IReadOnlyList<CaseVerdict> Cases { get; }

    public int PassedCases => Cases.Count(c => c.Passed);

    /// <summary>Unreadable tiers, cases and checks left out.</summary>
    public int Skipped { get; }

    /// <returns>null unless the value is an object with a <c>tiers</c> or a <c>cases</c> array.</returns>
    public static TierVerdicts? Read(JsonNode? node)
    {
        if (node is not JsonObject obj || (obj["tiers"] is not JsonArray && obj["cases"] is not JsonArray))
        {
            return null;
        }

        var skipped = 0;
        var tiers = new List<TierVerdict>();
        foreach (var item in obj["tiers"] as JsonArray ?? [])
        {
            if (ReadTier(item) is { } tier)
            {
                tiers.Add(tier);
            }
            else
            {
                skipped++;
            }
        }

        var cases = new List<CaseVerdict>();
        foreach (var item in obj["cases"] as JsonArray ?? [])
        {
            if (ReadCase(item) is { } verdict)
            {
                cases.Add(verdict);
                skipped += verdict.Skipped;
            }
            else
            {
                skipped++;
            }
        }

        return new TierVerdicts(
            ResultJson.String(obj["scope"]) is { Length: > 0 } scope ? scope : null,
            Share(obj["score"]),
            ResultJson.String(obj["failure"]) is { Length: > 0 } failure ? failure : null,
            [.. tiers.OrderBy(t => t.Tier)],
            [.. cases.OrderBy(c => c.Passed)],
            skipped);
    }

    // A tier needs its number; counts must be whole, non-negative and consistent.
    private static TierVerdict? ReadTier(JsonNode? node)
    {
        if (node is not JsonObject obj || ResultJson.Int(obj["tier"]) is not int tier || tier <= 0)
        {
            return null;
        }

        if (!TryCount(obj["cases"], out var cases) || !TryCount(obj["passed"], out var passed) || passed > cases)
        {
            return null;
        }

        var graded = ResultJson.Bool(obj["graded"]) ?? true;
        var credit = Share(obj["credit"]) ?? (cases is > 0 && passed is { } p ? (double)p / cases.Value : null);
        return new TierVerdict(
            tier,
            ResultJson.String(obj["name"]) is { Length: > 0 } name ? name : $"tier {tier}",
            graded,
            cases,
            passed,
            graded ? credit : null,
            ResultJson.String(obj["first_failure"]) is { Length: > 0 } firstFailure ? firstFailure : null);
    }

    // A case needs its id, and a pass flag or readable checks to derive it from.
    private static CaseVerdict? ReadCase(JsonNode? node)
    {
        if (node is not JsonObject obj || obj["case"] is not JsonValue idValue || ResultJson.Text(idValue) is not { Length: > 0 } id)
        {
            return null;
        }

        var checks = new List<CheckVerdict>();
        var skipped = 0;
        foreach (var item in obj["checks"] as JsonArray ?? [])
        {
            if (ReadCheck(item) is { } check)
            {
                checks.Add(check);
            }
            else
            {
                skipped++;
            }
        }

        if ((ResultJson.Bool(obj["passed"]) ?? (checks.Count > 0 ? checks.All(c => c.Passed) : null)) is not { } passed)
        {
            return null;
        }

        return new CaseVerdict(
            id,
            ResultJson.String(obj["summary"]) is { Length: > 0 } summary ? summary : null,
            passed,
            ResultJson.String(obj["stdout"]) is { Length: > 0 } stdout ? stdout : null,
            [.. checks.OrderBy(c => c.Passed).ThenBy(c => c.Tier ?? int.MaxValue)],
            skipped);
    }

    private static CheckVerdict? ReadCheck(JsonNode? node)
    {
        if (node is not JsonObject obj || ResultJson.String(obj["check"]) is not { Length: > 0 } name || ResultJson.Bool(obj["passed"]) is not { } passed)
        {
            return null;
        }

        return new CheckVerdict(
            ResultJson.Int(obj["tier"]) is > 0 and var tier ? tier : null,
            name,
            passed,
            ResultJson.String(obj["message"]) is { Length: > 0 } message ? message : null,
            Evidence(obj["evidence"]));
    }

    // Evidence is JSON; a string is shown as the suite wrote it (it may be an excerpt of text).
    private static string? Evidence(JsonNode? node) => node switch
    {
        null => null,
        JsonValue when ResultJson.String(node) is { } text => text.Length == 0 ? null : text,
        _ => JsonText.Pretty(node),
    };

    private static bool TryCount(JsonNode? node, out int? count)
    {
        count = ResultJson.Int(node) is >= 0 and var value ? value : null;
        return node is null || count is not null;
    }

    private static double? Share(JsonNode? node) => ResultJson.Number(node) is >= 0 and <= 1 and var value ? value : null;
}
