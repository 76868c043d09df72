using ChaosLab.Core.Environment;
using ChaosLab.Core.Suites.Mast.Taxonomy;
using static ChaosLab.Core.Suites.Mast.Pipeline.AgentRoles;

namespace ChaosLab.Core.Suites.Mast.Scenarios;

/// <summary>
/// The built-in mast scenarios: 30 over the three MAST categories (the tasks) and four tiers.
/// Every scenario has several candidate faults, so neither its id nor its title says which mode
/// a seed makes active or which agent shows it. Warmup: one mode at a high rate; beginner: one
/// of two or three; intermediate: plus a model-backend fault; expert: plus a backend fault, one
/// or two modes, and a tight latency objective.
/// </summary>
public static class MastScenarioCatalog
{
    public const string SuiteName = "mast";

    public static IReadOnlyList<string> Tiers { get; } = ["warmup", "beginner", "intermediate", "expert"];

    /// <summary>The tasks, one per MAST category; their step limit is the widest tier's (<see cref="MaxSteps"/> per tier).</summary>
    public static IReadOnlyList<TaskDescriptor> Tasks { get; } =
    [
        new(MastTaxonomy.CategoryName(MastCategory.Specification), "Harden a pipeline against specification failures",
            "An agent disobeys the task or its role, repeats steps, loses its history or does not know when to stop (FM-1.1 to FM-1.5). Read the pipeline, the failed runs' traces and the agents' logs, find the mode and the agent, and fix it with a role specification or the setting that addresses it.", 16),
        new(MastTaxonomy.CategoryName(MastCategory.InterAgent), "Harden a pipeline against inter-agent misalignment",
            "Agents misread each other: a consumer cannot parse what its producer sends, or an agent's action differs from its own reasoning (FM-2.5, FM-2.6). Find where the hand-off breaks and fix it there.", 16),
        new(MastTaxonomy.CategoryName(MastCategory.Verification), "Harden a pipeline against verification failures",
            "The work is declared done too early, verified only in part, or verified wrongly (FM-3.1 to FM-3.3). Find which check fails and make the review catch it.", 16),
    ];

    /// <summary>The pipeline kinds a scenario's family names.</summary>
    public static IReadOnlyList<string> Families { get; } = ["research_report", "plan_execute", "batch_execute", "content_review", "field_research", "data_analysis"];

    /// <summary>Latency objective factor by tier (the reference fix's p95 times this).</summary>
    public static double SloFactor(string tier) => tier switch
    {
        "warmup" => 1.45,
        "beginner" => 1.4,
        "intermediate" => 1.3,
        _ => 1.2,
    };

    /// <summary>The agent's step limit by tier.</summary>
    public static int MaxSteps(string tier) => tier switch
    {
        "warmup" => 10,
        "beginner" => 12,
        "intermediate" => 14,
        _ => 16,
    };

    public static IReadOnlyList<MastScenarioDefinition> All => LazyAll.Value;

    // Built on first use: the pipelines it reads are initialized after this point.
    private static readonly Lazy<IReadOnlyList<MastScenarioDefinition>> LazyAll = new(() => Build());

    private const string Spec = "specification";
    private const string Inter = "inter_agent";
    private const string Verif = "verification";

    private static AgentTemplate Agent(string role, string input, string output, int windowMin = 4096, int windowMax = 8192) =>
        new(role, input, output, new IntRange(windowMin, windowMax));

    private sealed record Family(string Name, string Goal, IReadOnlyList<string> Constraints, IReadOnlyList<AgentTemplate> Pipeline);

    private static readonly Dictionary<string, Family> Pipelines = new(StringComparer.Ordinal)
    {
        ["research_report"] = new("research_report", "Write a research brief on the run's topic: one sourced finding per item.",
            ["cite_sources", "iso_dates", "max_words", "include_summary", "no_speculation"],
            [Agent(Planner, "text", "json"), Agent(Researcher, "json", "json"), Agent(Writer, "json", "text"), Agent(Reviewer, "text", "text", 8192, 16384), Agent(Verifier, "text", "text", 8192, 16384)]),
        ["plan_execute"] = new("plan_execute", "Plan and carry out the run's maintenance job: one executed step per item.",
            ["metric_units", "iso_dates", "no_speculation"],
            [Agent(Planner, "text", "yaml"), Agent(Executor, "json", "json"), Agent(Verifier, "json", "text", 8192, 16384)]),
        ["batch_execute"] = new("batch_execute", "Plan and carry out the run's data migration in two stages: one step per item in each.",
            ["metric_units", "iso_dates", "no_speculation"],
            [Agent(Planner, "text", "yaml"), Agent(Executor, "json", "yaml"), Agent(Executor, "json", "json"), Agent(Reviewer, "json", "text", 8192, 16384), Agent(Verifier, "text", "text", 8192, 16384)]),
        ["content_review"] = new("content_review", "Write the run's product announcement: one section per item, reviewed and verified.",
            ["max_words", "include_summary", "no_speculation", "iso_dates"],
            [Agent(Coordinator, "text", "json"), Agent(Writer, "json", "text"), Agent(Reviewer, "text", "text", 8192, 16384), Agent(Verifier, "text", "text", 8192, 16384)]),
        ["field_research"] = new("field_research", "Survey the run's topic from two angles and write it up: one sourced finding per item.",
            ["cite_sources", "iso_dates", "metric_units", "include_summary"],
            [Agent(Coordinator, "text", "yaml"), Agent(Researcher, "json", "json"), Agent(Researcher, "json", "json"), Agent(Writer, "json", "text"), Agent(Verifier, "text", "text", 8192, 16384)]),
        ["data_analysis"] = new("data_analysis", "Analyse the run's dataset and report: one computed result per item, written up and reviewed.",
            ["metric_units", "iso_dates", "cite_sources", "max_words", "include_summary"],
            [Agent(Planner, "text", "yaml"), Agent(Researcher, "json", "json"), Agent(Executor, "json", "json"), Agent(Writer, "json", "text"), Agent(Reviewer, "text", "text", 8192, 16384), Agent(Verifier, "text", "text", 8192, 16384)]),
    };

    private static NumberRange TierRate(string tier) => tier switch
    {
        "warmup" => new(0.8, 0.95),
        "beginner" => new(0.7, 0.9),
        _ => new(0.65, 0.9),
    };

    private static CandidateFault Mode(string tier, string kind, params string[] roles) => new(kind, roles, TierRate(tier));

    private static CandidateFault Backend(string kind, params string[] roles) => kind switch
    {
        "backend_error" => new(kind, roles, new(0.15, 0.3)),
        "backend_rate_limit" => new(kind, roles, new(0.12, 0.25)),
        "backend_slow" => new(kind, roles, new(0.08, 0.18)),
        _ => new(kind, roles, new(0.6, 0.85)),
    };

    private static List<MastScenarioDefinition> Build()
    {
        var list = new List<MastScenarioDefinition>();

        void Add(string id, string task, string tier, string family, string title, CandidateFault[] modes, CandidateFault[]? backend = null, IntRange? items = null)
        {
            var pipeline = Pipelines[family];
            var active = tier == "expert" ? new IntRange(1, 2) : new IntRange(1, 1);
            list.Add(new MastScenarioDefinition(
                id, 1, SuiteName, task, tier, family, title, MaxSteps(tier), SloFactor(tier), pipeline.Goal,
                items ?? new IntRange(3, 6),
                new ConstraintDraw(pipeline.Constraints, new IntRange(1, 2)),
                pipeline.Pipeline,
                new FaultCandidates(active, modes),
                backend is { Length: > 0 } ? new FaultCandidates(new IntRange(1, 1), backend) : null));
        }

        const string W = "warmup", B = "beginner", I = "intermediate", E = "expert";
        const string TaskSpec = "task_spec_violation", Drift = "role_drift", Repeat = "step_repetition", History = "history_loss", NoStop = "no_stop_condition";
        const string Format = "format_mismatch", Mismatch = "reasoning_action_mismatch";
        const string Premature = "premature_termination", Incomplete = "incomplete_verification", Incorrect = "incorrect_verification";
        const string Error = "backend_error", Limit = "backend_rate_limit", Slow = "backend_slow", Outage = "backend_outage";

        CandidateFault[] TransportFaults(params string[] roles) => [Backend(Error, roles), Backend(Limit, roles), Backend(Slow, roles)];
        CandidateFault[] WithOutage(params string[] roles) => [.. TransportFaults(roles), Backend(Outage, Researcher)];

        // Specification: FM-1.1 to FM-1.5.
        Add("mast-spec-w01", Spec, W, "research_report", "Research brief with an off-script agent",
            [Mode(W, TaskSpec, Writer, Researcher), Mode(W, Drift, Researcher, Writer)]);
        Add("mast-spec-w02", Spec, W, "plan_execute", "Maintenance job that runs long",
            [Mode(W, Repeat, Executor), Mode(W, NoStop, Executor)]);
        Add("mast-spec-b01", Spec, B, "research_report", "Research brief that misses its brief",
            [Mode(B, TaskSpec, Writer, Researcher), Mode(B, History, Writer, Researcher), Mode(B, Drift, Researcher)]);
        Add("mast-spec-b02", Spec, B, "batch_execute", "Two-stage migration that stalls",
            [Mode(B, Repeat, Executor), Mode(B, NoStop, Executor), Mode(B, Drift, Executor, Planner)]);
        Add("mast-spec-b03", Spec, B, "field_research", "Field survey that wanders",
            [Mode(B, Drift, Researcher, Writer), Mode(B, History, Researcher, Writer), Mode(B, NoStop, Researcher, Writer)]);
        Add("mast-spec-i01", Spec, I, "data_analysis", "Dataset report under a flaky backend",
            [Mode(I, TaskSpec, Writer, Executor), Mode(I, Repeat, Executor, Researcher), Mode(I, History, Writer)],
            TransportFaults(Researcher, Executor, Writer));
        Add("mast-spec-i02", Spec, I, "field_research", "Field survey under a flaky backend",
            [Mode(I, NoStop, Researcher), Mode(I, Repeat, Researcher), Mode(I, TaskSpec, Writer, Researcher)],
            WithOutage(Researcher, Writer));
        Add("mast-spec-i03", Spec, I, "content_review", "Announcement under a flaky backend",
            [Mode(I, Drift, Writer), Mode(I, TaskSpec, Writer), Mode(I, History, Writer)],
            TransportFaults(Coordinator, Writer));
        Add("mast-spec-e01", Spec, E, "data_analysis", "Dataset report, tight objective",
            [Mode(E, TaskSpec, Writer, Executor, Researcher), Mode(E, Drift, Researcher, Writer, Executor), Mode(E, Repeat, Executor, Researcher), Mode(E, History, Writer, Researcher), Mode(E, NoStop, Researcher, Executor, Writer)],
            WithOutage(Researcher, Executor, Writer));
        Add("mast-spec-e02", Spec, E, "batch_execute", "Two-stage migration, tight objective",
            [Mode(E, TaskSpec, Executor), Mode(E, Drift, Executor, Planner), Mode(E, Repeat, Executor), Mode(E, History, Executor), Mode(E, NoStop, Executor)],
            TransportFaults(Planner, Executor));

        // Inter-agent misalignment: FM-2.5, FM-2.6.
        Add("mast-inter-w01", Inter, W, "plan_execute", "Maintenance job with a broken hand-off",
            [Mode(W, Format, Planner), Mode(W, Mismatch, Executor)]);
        Add("mast-inter-w02", Inter, W, "data_analysis", "Dataset report with a broken hand-off",
            [Mode(W, Format, Planner), Mode(W, Mismatch, Executor)]);
        Add("mast-inter-b01", Inter, B, "batch_execute", "Two-stage migration that misreads itself",
            [Mode(B, Format, Planner, Executor), Mode(B, Mismatch, Executor)]);
        Add("mast-inter-b02", Inter, B, "plan_execute", "Maintenance job that misreads itself",
            [Mode(B, Format, Planner), Mode(B, Mismatch, Executor)]);
        Add("mast-inter-b03", Inter, B, "data_analysis", "Dataset report that misreads itself",
            [Mode(B, Format, Planner), Mode(B, Mismatch, Executor)]);
        Add("mast-inter-i01", Inter, I, "batch_execute", "Two-stage migration under a flaky backend",
            [Mode(I, Format, Planner, Executor), Mode(I, Mismatch, Executor)],
            TransportFaults(Planner, Executor));
        Add("mast-inter-i02", Inter, I, "data_analysis", "Dataset analysis under a flaky backend",
            [Mode(I, Format, Planner), Mode(I, Mismatch, Executor)],
            WithOutage(Researcher, Executor));
        Add("mast-inter-i03", Inter, I, "plan_execute", "Maintenance job under a flaky backend",
            [Mode(I, Format, Planner), Mode(I, Mismatch, Executor)],
            TransportFaults(Planner, Executor, Verifier));
        Add("mast-inter-e01", Inter, E, "batch_execute", "Two-stage migration, tight objective",
            [Mode(E, Format, Planner, Executor), Mode(E, Mismatch, Executor)],
            TransportFaults(Planner, Executor, Reviewer));
        Add("mast-inter-e02", Inter, E, "data_analysis", "Dataset analysis, tight objective",
            [Mode(E, Format, Planner), Mode(E, Mismatch, Executor)],
            WithOutage(Researcher, Executor, Writer));

        // Verification: FM-3.1 to FM-3.3.
        Add("mast-verif-w01", Verif, W, "research_report", "Research brief that passes review too easily",
            [Mode(W, Incomplete, Reviewer), Mode(W, Incorrect, Reviewer)]);
        Add("mast-verif-w02", Verif, W, "content_review", "Announcement that ships too soon",
            [Mode(W, Premature, Coordinator, Writer), Mode(W, Incorrect, Reviewer)]);
        Add("mast-verif-b01", Verif, B, "research_report", "Research brief with a lax review",
            [Mode(B, Premature, Writer), Mode(B, Incomplete, Reviewer), Mode(B, Incorrect, Reviewer)]);
        Add("mast-verif-b02", Verif, B, "content_review", "Announcement with a lax review",
            [Mode(B, Premature, Coordinator, Writer), Mode(B, Incomplete, Reviewer), Mode(B, Incorrect, Reviewer)]);
        Add("mast-verif-b03", Verif, B, "data_analysis", "Dataset report with a lax review",
            [Mode(B, Premature, Writer), Mode(B, Incomplete, Reviewer), Mode(B, Incorrect, Reviewer)]);
        Add("mast-verif-i01", Verif, I, "research_report", "Research brief under a flaky backend",
            [Mode(I, Premature, Writer), Mode(I, Incomplete, Reviewer), Mode(I, Incorrect, Reviewer)],
            WithOutage(Researcher, Writer, Reviewer));
        Add("mast-verif-i02", Verif, I, "content_review", "Announcement under a flaky backend",
            [Mode(I, Premature, Coordinator, Writer), Mode(I, Incomplete, Reviewer), Mode(I, Incorrect, Reviewer)],
            TransportFaults(Writer, Reviewer));
        Add("mast-verif-i03", Verif, I, "data_analysis", "Dataset report under a flaky backend",
            [Mode(I, Premature, Writer), Mode(I, Incomplete, Reviewer), Mode(I, Incorrect, Reviewer)],
            TransportFaults(Executor, Writer, Reviewer));
        Add("mast-verif-e01", Verif, E, "research_report", "Research brief, tight objective",
            [Mode(E, Premature, Writer), Mode(E, Incomplete, Reviewer), Mode(E, Incorrect, Reviewer)],
            WithOutage(Researcher, Writer));
        Add("mast-verif-e02", Verif, E, "content_review", "Announcement, tight objective",
            [Mode(E, Premature, Coordinator, Writer), Mode(E, Incomplete, Reviewer), Mode(E, Incorrect, Reviewer)],
            TransportFaults(Coordinator, Writer, Reviewer));

        return list;
    }
}
