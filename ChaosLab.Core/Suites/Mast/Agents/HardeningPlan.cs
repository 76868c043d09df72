using System.Text.Json.Nodes;
using ChaosLab.Core.Suites.Mast.Pipeline;

namespace ChaosLab.Core.Suites.Mast.Agents;

/// <summary>The pipeline as <c>read_pipeline</c> shows it: what the reference agents plan from.</summary>
public sealed record PipelineView(IReadOnlyList<PipelineView.Agent> Agents, IReadOnlyList<string> Constraints)
{
    public sealed record Agent(string Id, string Role, int Window);

    public static PipelineView? From(JsonNode? result)
    {
        if (result?["agents"] is not JsonArray agents)
        {
            return null;
        }

        return new PipelineView(
            [.. agents.OfType<JsonObject>().Select(a => new Agent(a["id"]?.ToString() ?? "", a["role"]?.ToString() ?? "", a["context_window_tokens"]?.GetValue<int>() ?? 0))],
            [.. (result["task"]?["constraints"] as JsonArray ?? []).Select(c => c!.ToString())]);
    }

    public Agent? Find(string? id) => Agents.FirstOrDefault(a => a.Id == id);

    public IEnumerable<Agent> WithRole(params string[] roles) => Agents.Where(a => roles.Contains(a.Role));
}

/// <summary>
/// The fix for each diagnosed fault, as a config in the suite's JSON shape (only what changes
/// from the defaults), and the diagnoses of the MAST faults among them. Each fix is the one the
/// suite documents for the kind, and nothing else: settings the pipeline does not need cost.
/// </summary>
public sealed class HardeningPlan(PipelineView pipeline)
{
    private const int HealthyCallCeilingMs = 4_000;

    /// <summary>A submission counts at most three diagnoses.</summary>
    private const int MaxDiagnoses = 3;

    private readonly Dictionary<string, Symptom> _faults = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Symptom> Faults => _faults.Values;

    public bool Has(string kind) => _faults.ContainsKey(kind);

    /// <summary>Adds a fault (the first sighting of a kind wins, unless a later one names its agent or carries more values).</summary>
    public void Add(Symptom symptom)
    {
        ArgumentNullException.ThrowIfNull(symptom);
        if (!_faults.TryGetValue(symptom.Kind, out var known) || (known.Agent is null && symptom.Agent is not null) || symptom.Values.Count > known.Values.Count)
        {
            _faults[symptom.Kind] = symptom with { Agent = symptom.Agent ?? known?.Agent };
        }
    }

    /// <summary>The diagnoses of the MAST faults found, in the shape submit_answer reads.</summary>
    public JsonNode Diagnosis()
    {
        var diagnoses = new JsonArray();
        foreach (var fault in _faults.Values)
        {
            if (MastFaultKinds.Find(fault.Kind) is not { } kind || MastFaultKinds.ModeOf(kind) is not { } mode)
            {
                continue;
            }

            var diagnosis = new JsonObject { ["failure_mode"] = mode.Code };
            if (fault.Agent is { } agent)
            {
                diagnosis["component"] = agent;
            }

            diagnosis["explanation"] = kind.Description;
            diagnoses.Add(diagnosis);
        }

        return diagnoses.Count == 1 ? diagnoses[0]!.DeepClone() : new JsonArray([.. diagnoses.Take(MaxDiagnoses).Select(d => d!.DeepClone())]);
    }

    /// <param name="chunkHistory">Keep the whole history in chunks instead of summarizing it (when summaries still lost the instruction).</param>
    public JsonObject Config(bool chunkHistory = false)
    {
        var config = new JsonObject();
        var specs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        JsonObject Spec(string? agentId)
        {
            var agent = pipeline.Find(agentId);
            var id = agent?.Id ?? agentId ?? "";
            if (!specs.TryGetValue(id, out var spec))
            {
                var role = agent?.Role ?? "";
                spec = new JsonObject
                {
                    ["role"] = role,
                    ["capabilities"] = new JsonArray([.. AgentRoles.Capabilities.GetValueOrDefault(role, []).Select(c => (JsonNode)c)]),
                    ["constraints"] = new JsonArray([.. pipeline.Constraints.Select(c => (JsonNode)c)]),
                };
                specs[id] = spec;
            }

            return spec;
        }

        var retries = 0;
        foreach (var fault in _faults.Values)
        {
            switch (fault.Kind)
            {
                case var k when k == MastFaultKinds.TaskSpecViolation.Name || k == MastFaultKinds.RoleDrift.Name:
                    Spec(fault.Agent);
                    break;
                case var k when k == MastFaultKinds.NoStopCondition.Name:
                    Spec(fault.Agent)["stop_condition"] = "items_complete";
                    break;
                case var k when k == MastFaultKinds.PrematureTermination.Name:
                    Spec(fault.Agent)["stop_condition"] = "verified";
                    break;
                case var k when k == MastFaultKinds.StepRepetition.Name:
                    // 2, not 1: a plan may do one step twice in a row on purpose.
                    config["repetition_guard"] = 2;
                    break;
                case var k when k == MastFaultKinds.HistoryLoss.Name:
                    if (chunkHistory)
                    {
                        config["context_strategy"] = "chunk";
                    }
                    else
                    {
                        config["context_strategy"] = "summarize";
                        var window = fault.Value("window") ?? pipeline.Find(fault.Agent)?.Window ?? 0;
                        config["context_summarization_threshold"] = Math.Max(256, window > 0 ? window * 3 / 4 : 1_024);
                    }

                    break;
                case var k when k == MastFaultKinds.FormatMismatch.Name:
                    config["format_translator"] = true;
                    break;
                case var k when k == MastFaultKinds.ReasoningActionMismatch.Name:
                    config["action_validation"] = true;
                    break;
                case var k when k == MastFaultKinds.IncompleteVerification.Name:
                    var sections = fault.Value("sections") ?? 5;
                    var coverage = Math.Max(1, fault.Value("coverage") ?? 1);
                    config["min_review_depth"] = Math.Clamp((sections + coverage - 1) / coverage, 2, 5);
                    break;
                case var k when k == MastFaultKinds.IncorrectVerification.Name:
                    config["consistency_check"] = true;
                    break;
                // Retries cost nothing while calls succeed, so they are generous: the failure rate is unknown.
                case var k when k == MastFaultKinds.BackendError.Name:
                    retries = Math.Max(retries, 5);
                    break;
                case var k when k == MastFaultKinds.BackendRateLimit.Name:
                    retries = Math.Max(retries, 3);
                    config["retry_delay_ms"] = Math.Clamp(fault.Value("retry_after_ms") ?? 2_000, 1, 30_000);
                    break;
                case var k when k == MastFaultKinds.BackendSlow.Name:
                    retries = Math.Max(retries, 3);
                    config["timeout_ms"] = HealthyCallCeilingMs;
                    break;
                case var k when k == MastFaultKinds.BackendOutage.Name:
                    config["timeout_ms"] = HealthyCallCeilingMs;
                    config["circuit_breaker_threshold"] = 0.5;
                    config["fallback"] = "summarize";
                    break;
            }
        }

        if (retries > 0)
        {
            config["retry_max"] = retries;
        }

        if (specs.Count > 0)
        {
            config["role_specs"] = new JsonObject([.. specs.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]);
        }

        return config;
    }
}
