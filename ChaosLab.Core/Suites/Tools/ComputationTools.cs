using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Sandbox;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The seven computation tools.</summary>
internal static partial class ComputationTools
{
    public const int MaxMatches = 50;
    public const int MaxCachedPatterns = 32;

    public static ValueTask<ToolOutput> Calculate(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var expression = args.Str("expression");
        var (value, error) = Calculator.Evaluate(expression);
        return RetrievalTools.Done(error is null
            ? ToolOutput.Ok(new JsonObject { ["expression"] = expression, ["result"] = value })
            : ToolOutput.Fail("calculation_error", error, new JsonObject { ["expression"] = expression }));
    }

    public static async ValueTask<ToolOutput> PythonExecute(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        if (ctx.Sandbox is not { } sandbox || !sandbox.Availability.IsAvailable)
        {
            return Unavailable();
        }

        var result = await sandbox.RunPythonAsync(new SandboxRequest(args.Str("code"), Files: ctx.Workspace.FilesForCode()), ct);
        if (result.Outcome == SandboxOutcome.Refused)
        {
            return Unavailable();
        }

        // Elapsed wall time is deliberately not shown: observations must not depend on the host's speed.
        var body = new JsonObject
        {
            ["outcome"] = result.Outcome switch
            {
                SandboxOutcome.Completed => "completed",
                SandboxOutcome.Failed => "failed",
                SandboxOutcome.TimedOut => "timed_out",
                SandboxOutcome.OutputLimitExceeded => "output_limit_exceeded",
                SandboxOutcome.MemoryLimitExceeded => "memory_limit_exceeded",
                _ => "refused",
            },
            ["exit_code"] = result.ExitCode,
            ["stdout"] = result.Stdout,
            ["stderr"] = result.Stderr,
            ["output_truncated"] = result.OutputTruncated,
        };
        return result.Outcome == SandboxOutcome.Completed ? ToolOutput.Ok(body) : new ToolOutput(body, true);
    }

    private static ToolOutput Unavailable() => ToolOutput.Fail(
        "code_execution_unavailable",
        "Code execution is unavailable on this server (no sandbox is configured), so the code was not run. Use calculator, data_transform or compare_values instead.");

    /// <summary>
    /// A safety net only: NonBacktracking matches in time linear in the text, so no pattern within
    /// the 200-character cap comes near this; a timeout would otherwise make results host-dependent.
    /// </summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    public static ValueTask<ToolOutput> TextExtract(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var text = args.Str("text");
        var pattern = args.Str("pattern");
        var regex = Named(pattern);
        if (regex is null && !ctx.Cache.Patterns.TryGetValue(pattern, out regex))
        {
            try
            {
                regex = AgentPattern(pattern);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                return RetrievalTools.Done(ToolOutput.Fail("invalid_pattern", "invalid pattern: " + e.Message + " (named patterns: numbers, money, dates, percentages, emails, urls)"));
            }

            if (ctx.Cache.Patterns.Count < MaxCachedPatterns)
            {
                ctx.Cache.Patterns[pattern] = regex;
            }
        }

        var matches = new JsonArray();
        var total = 0;
        try
        {
            foreach (Match m in regex.Matches(text))
            {
                total++;
                if (matches.Count < MaxMatches)
                {
                    matches.Add(m.Value);
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return RetrievalTools.Done(ToolOutput.Fail("pattern_timeout", $"matching took longer than {MatchTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; use a simpler pattern or a shorter text"));
        }

        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["pattern"] = pattern, ["matches"] = matches, ["count"] = total, ["truncated"] = total > MaxMatches }));
    }

    /// <summary>
    /// An agent's regex: NonBacktracking (no catastrophic backtracking; constructs it cannot run,
    /// such as backreferences and lookarounds, are refused as invalid) and the match timeout.
    /// </summary>
    internal static Regex AgentPattern(string pattern) => new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);

    private static Regex? Named(string name) => name switch
    {
        "numbers" => NumbersPattern(),
        "money" => MoneyPattern(),
        "dates" => DatesPattern(),
        "percentages" => PercentPattern(),
        "emails" => EmailPattern(),
        "urls" => UrlPattern(),
        _ => null,
    };

    public static ValueTask<ToolOutput> DataTransform(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var operation = args.Str("operation");
        var values = ToNumbers(args["data"]);
        if (values is null || values.Count == 0)
        {
            return RetrievalTools.Done(ToolOutput.Fail("invalid_data", "data must be an array of numbers or a string of numbers separated by commas or spaces"));
        }

        if (values.Any(v => !double.IsFinite(v)))
        {
            return RetrievalTools.Done(OutOfRange("data holds a number beyond the range of a double (about ±1.8e308)"));
        }

        double scalar;
        switch (operation)
        {
            case "sum": scalar = values.Sum(); break;
            case "mean": scalar = values.Average(); break;
            case "median":
                {
                    var sorted = values.Order().ToList();
                    scalar = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] / 2) + (sorted[sorted.Count / 2] / 2);
                    break;
                }

            case "min": scalar = values.Min(); break;
            case "max": scalar = values.Max(); break;
            case "count": scalar = values.Count; break;
            case "sort_ascending": return Transformed(operation, values, values.Order());
            case "sort_descending": return Transformed(operation, values, values.OrderDescending());
            case "unique": return Transformed(operation, values, values.Distinct());
            case "ratio" or "difference" or "percent_change" when values.Count < 2:
                return RetrievalTools.Done(ToolOutput.Fail("invalid_data", $"{operation} needs two numbers"));
            case "ratio":
                if (values[1] == 0)
                {
                    return RetrievalTools.Done(ToolOutput.Fail("invalid_data", "ratio: division by zero"));
                }

                scalar = values[0] / values[1];
                break;
            case "difference": scalar = values[0] - values[1]; break;
            case "percent_change":
                if (values[0] == 0)
                {
                    return RetrievalTools.Done(ToolOutput.Fail("invalid_data", "percent_change: the first value is zero"));
                }

                scalar = (values[^1] - values[0]) / values[0] * 100;
                break;
            default: return Transformed(operation, values, values.Select(v => Math.Round(v, 2)));
        }

        return RetrievalTools.Done(double.IsFinite(scalar)
            ? ToolOutput.Ok(new JsonObject { ["operation"] = operation, ["count"] = values.Count, ["result"] = scalar })
            : OutOfRange($"{operation}: the result is beyond the range of a double (about ±1.8e308)"));
    }

    private static ValueTask<ToolOutput> Transformed(string operation, List<double> values, IEnumerable<double> result) =>
        RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["operation"] = operation, ["count"] = values.Count, ["result"] = new JsonArray([.. result.Select(v => (JsonNode)v)]) }));

    private static ToolOutput OutOfRange(string message) => ToolOutput.Fail("out_of_range", message + " (out of range)");

    public static ValueTask<ToolOutput> CompareValues(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var a = ToNumber(args["value1"]);
        var b = ToNumber(args["value2"]);
        if (a is null || b is null)
        {
            return RetrievalTools.Done(ToolOutput.Fail("invalid_value", "value1 and value2 must be numbers or text containing one number"));
        }

        var tolerance = JsonNumber.Read(args["tolerance"]!);
        var diff = Math.Abs(a.Value - b.Value);
        if (!double.IsFinite(diff))
        {
            return RetrievalTools.Done(OutOfRange("value1, value2 or their difference is beyond the range of a double (about ±1.8e308)"));
        }

        var scale = Math.Max(Math.Abs(a.Value), Math.Abs(b.Value));
        var relative = scale == 0 ? 0 : diff / scale;
        var ratio = a.Value / b.Value;
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject
        {
            ["value1"] = a.Value, ["value2"] = b.Value, ["absolute_difference"] = diff, ["relative_difference"] = Math.Round(relative, 6),
            ["tolerance"] = tolerance, ["within_tolerance"] = relative <= tolerance, ["ratio"] = double.IsFinite(ratio) ? Math.Round(ratio, 6) : null,
        }));
    }

    public static ValueTask<ToolOutput> JsonQuery(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var data = args["data"];
        if (data is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (!StrictJson.TryParseNode(text, out data, out _))
            {
                return RetrievalTools.Done(ToolOutput.Fail("invalid_json", "data is text that is not JSON: send an object or an array, or JSON text such as {\"a\": [1, 2]} (names and strings in double quotes)."));
            }
        }

        var (result, error) = JsonPathQuery.Evaluate(data, args.Str("query"));
        return RetrievalTools.Done(error is null ? ToolOutput.Ok(new JsonObject { ["query"] = args.Str("query"), ["result"] = result }) : ToolOutput.Fail("invalid_query", error));
    }

    public static ValueTask<ToolOutput> Translate(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var (translation, untranslated) = Translator.Translate(ctx.Workspace.World, args.Str("text"), args.Str("target_language"));
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject
        {
            ["target_language"] = args.Str("target_language"), ["translation"] = translation,
            ["untranslated_words"] = new JsonArray([.. untranslated.Select(w => (JsonNode)w)]),
            ["note"] = "word-by-word glossary translation; grammar is not adapted",
        }));
    }

    internal static List<double>? ToNumbers(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var list = new List<double>();
                foreach (var item in array)
                {
                    if (ToNumber(item) is not { } d)
                    {
                        return null;
                    }

                    list.Add(d);
                }

                return list;
            case JsonValue value when value.TryGetValue<string>(out var s):
                return [.. NumberScanner.Scan(s).Select(n => n.Scaled)];
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                return [JsonNumber.Read(value)];
            default:
                return null;
        }
    }

    internal static double? ToNumber(JsonNode? node)
    {
        if (node is JsonValue value)
        {
            if (value.GetValueKind() == JsonValueKind.Number)
            {
                return JsonNumber.Read(value);
            }

            if (value.TryGetValue<string>(out var s))
            {
                var numbers = NumberScanner.Scan(s);
                return numbers.Count == 1 ? numbers[0].Scaled : null;
            }
        }

        return null;
    }

    // The fixed patterns backtrack only boundedly, but share the safety net.
    private const int MatchTimeoutMilliseconds = 1_000;

    [GeneratedRegex(@"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex NumbersPattern();

    [GeneratedRegex(@"\$\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:billion|million|thousand|bn|mn))?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, MatchTimeoutMilliseconds)]
    private static partial Regex MoneyPattern();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex DatesPattern();

    [GeneratedRegex(@"-?\d+(?:\.\d+)?\s?%", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex PercentPattern();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?:https?|internal)://[^\s""'<>]+", RegexOptions.CultureInvariant, MatchTimeoutMilliseconds)]
    private static partial Regex UrlPattern();
}
