using System.Globalization;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;

namespace ChaosLab.Core.Suites.Tools.Agents;

/// <summary>
/// The shared engine of the scripted tools-suite agents: read the question, work through the
/// facts it needs (some depend on earlier answers: the capital, then the company there, then its
/// CEO), then answer. Subclasses decide only the retrieval policy: which call to make next for
/// the current fact, and when a fact is settled.
/// </summary>
public abstract class ScriptedToolsAgent : IAgent
{
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);
    private ToolsQuestion? _question;
    private int _stage;
    private bool _ticketUpdated;

    public abstract string Name { get; }

    /// <summary>Calls made for the current fact, with what each returned.</summary>
    private protected List<(FactSource Source, List<Reading> Readings, bool Failed)> Attempts { get; } = [];

    private protected FactNeed? Need { get; private set; }

    private protected List<FactSource> Sources { get; private set; } = [];

    private FactSource? _pending;

    public JsonObject NextAction(JsonObject observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation["kind"]?.ToString() == "reset")
        {
            Begin(observation["question"]?.ToString() ?? "");
        }
        else if (_pending is { } source)
        {
            Absorb(source, observation);
        }

        _pending = null;
        var remaining = observation["steps_remaining"] is JsonValue r ? (int)FactSources.Number(r)!.Value : 1;
        while (Need is not null)
        {
            var reserve = RemainingNeeds() + 1 + (_question?.TicketId is null ? 0 : 1);
            var next = Choose(remaining - reserve, reserve - 1 - (_question?.TicketId is null ? 0 : 1));
            if (next is not null)
            {
                _pending = next;
                return new JsonObject { ["type"] = "call_tool", ["tool_name"] = next.Tool, ["arguments"] = next.Arguments.DeepClone() };
            }

            Settle();
        }

        if (_question?.TicketId is { } ticket && !_ticketUpdated && _known.TryGetValue("revenue_usd_billions", out var revenue))
        {
            _ticketUpdated = true;
            return new JsonObject
            {
                ["type"] = "call_tool",
                ["tool_name"] = "update_ticket",
                ["arguments"] = new JsonObject
                {
                    ["ticket_id"] = ticket,
                    ["update"] = new JsonObject { ["status"] = "resolved", ["fields"] = new JsonObject { ["verified_revenue_usd_billions"] = double.Parse(revenue, CultureInfo.InvariantCulture) } },
                },
            };
        }

        return new JsonObject { ["type"] = "submit_answer", ["answer"] = Answer(), ["reasoning"] = $"{Name} agent" };
    }

    /// <summary>The next call for the current fact, or null when the fact is settled (or given up).</summary>
    /// <param name="spare">Steps that can go to this fact while keeping one per remaining fact and one to answer.</param>
    /// <param name="laterFacts">How many facts come after this one.</param>
    private protected abstract FactSource? Choose(int spare, int laterFacts);

    /// <summary>Tools that returned an error at some point in this episode.</summary>
    private protected HashSet<string> FailedTools { get; } = new(StringComparer.Ordinal);

    /// <summary>The value to keep for a field from the readings so far (null if none).</summary>
    private protected abstract string? Pick(string field);

    private void Begin(string question)
    {
        _question = ToolsQuestion.Parse(question);
        _known.Clear();
        _stage = 0;
        _ticketUpdated = false;
        _pending = null;
        _densities.Clear();
        FailedTools.Clear();
        Advance();
    }

    private void Absorb(FactSource source, JsonObject observation)
    {
        var failed = observation["status"]?.ToString() != "ok";
        if (failed)
        {
            FailedTools.Add(source.Tool);
        }

        var result = observation["result"];
        var readings = new List<Reading>();
        if (!failed)
        {
            foreach (var field in Need!.Fields)
            {
                if (source.Read(result, field) is { } reading)
                {
                    readings.Add(reading with { Value = field + "=" + reading.Value });
                }
            }
        }

        Attempts.Add((source, readings, failed || readings.Count == 0));
    }

    private protected IEnumerable<Reading> ReadingsFor(string field) =>
        Attempts.SelectMany(a => a.Readings).Where(r => r.Value.StartsWith(field + "=", StringComparison.Ordinal)).Select(r => r with { Value = r.Value[(field.Length + 1)..] });

    private void Settle()
    {
        foreach (var field in Need!.Fields)
        {
            if (Pick(field) is { } value)
            {
                _known[field] = value;
            }
        }

        if (_question?.Family == "density")
        {
            // Both countries use the same field names: keep each country's density, then forget its figures.
            var ok = _known.TryGetValue("population", out var p) & _known.TryGetValue("area_km2", out var a);
            _densities.Add(ok ? double.Parse(p!, CultureInfo.InvariantCulture) / double.Parse(a!, CultureInfo.InvariantCulture) : double.NaN);
            _known.Remove("population");
            _known.Remove("area_km2");
        }

        _stage++;
        Advance();
    }

    private void Advance()
    {
        Attempts.Clear();
        Need = NeedAt(_stage);
        Sources = Need is null ? [] : FactSources.For(Need);
    }

    private int RemainingNeeds()
    {
        var count = 0;
        while (NeedAt(_stage + count + 1, probe: true) is not null)
        {
            count++;
        }

        return count;
    }

    /// <summary>The facts each question needs, in order; later ones use earlier answers.</summary>
    private FactNeed? NeedAt(int stage, bool probe = false)
    {
        if (_question is not { } q)
        {
            return null;
        }

        string Known(string field) => _known.GetValueOrDefault(field) ?? (probe ? "?" : "");
        FactNeed? Step(params FactNeed[] needs) => stage < needs.Length ? needs[stage] : null;
        switch (q.Family)
        {
            case "population":
                return Step(new FactNeed("country", q.Names[0], ["population"]));
            case "gdp_per_capita":
                return stage == 0 ? new("city_country", q.Names[0], ["country"])
                    : stage == 1 && Known("country").Length > 0 ? new("country", Known("country"), ["gdp_per_capita_usd"]) : null;
            case "density":
                return Step(new FactNeed("country", q.Names[0], ["population", "area_km2"]), new FactNeed("country", q.Names[1], ["population", "area_km2"]));
            case "revenue_claim":
            case "ticket":
                return Step(new FactNeed("company", q.Names[0], ["revenue_usd_billions"]));
            case "launch_date":
                return Step(new FactNeed("product", q.Names[0], ["launch_date"]));
            case "days_between":
                return Step(new FactNeed("product", q.Names[0], ["launch_date"]), new FactNeed("event", q.Names[1], ["date"]));
            case "ceo":
                return stage switch
                {
                    0 => new("country", q.Names[0], ["capital"]),
                    1 when Known("capital").Length > 0 => new("hq_company", Known("capital"), ["company"]),
                    2 when Known("company").Length > 0 => new("company", Known("company"), ["ceo"]),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private string Answer()
    {
        if (_question is not { } q)
        {
            return "I could not read the question.";
        }

        try
        {
            return q.Family switch
            {
                "population" => $"The population of {q.Names[0]} is {Int("population")}.",
                "gdp_per_capita" => $"The GDP per capita is ${Int("gdp_per_capita_usd")}.",
                "density" => DensityAnswer(q),
                "revenue_claim" => RevenueAnswer(q),
                "launch_date" => $"It launched on {_known["launch_date"]}.",
                "days_between" => $"{Math.Abs(DateOnly.Parse(_known["launch_date"], CultureInfo.InvariantCulture).DayNumber - DateOnly.Parse(_known["date"], CultureInfo.InvariantCulture).DayNumber)} days passed.",
                "ceo" => $"The chief executive is {_known["ceo"]}.",
                "ticket" => "The ticket is updated with the verified figure and resolved.",
                _ => "I do not know.",
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException)
        {
            return "I could not determine the answer.";
        }
    }

    private string Int(string field) => double.Parse(_known[field], CultureInfo.InvariantCulture).ToString("#,0", CultureInfo.InvariantCulture);

    private string DensityAnswer(ToolsQuestion q)
    {
        // Both countries' figures were stored under the same field names; keep them apart by stage.
        if (_densities.Count < 2 || _densities.Any(d => !double.IsFinite(d) || d <= 0))
        {
            throw new KeyNotFoundException();
        }

        var (a, b) = (_densities[0], _densities[1]);
        var (denser, ratio) = a >= b ? (q.Names[0], a / b) : (q.Names[1], b / a);
        return $"{denser} is more densely populated, by a factor of {ratio.ToString("0.000", CultureInfo.InvariantCulture)}.";
    }

    private readonly List<double> _densities = [];

    private string RevenueAnswer(ToolsQuestion q)
    {
        var revenue = double.Parse(_known["revenue_usd_billions"], CultureInfo.InvariantCulture);
        var accurate = Math.Abs(q.Claim!.Value - revenue) / revenue <= 0.02;
        return (accurate ? "Yes, the claim is accurate." : "No, the claim is not accurate.") + $" The real FY2025 revenue is ${revenue.ToString("0.00", CultureInfo.InvariantCulture)} billion.";
    }
}
