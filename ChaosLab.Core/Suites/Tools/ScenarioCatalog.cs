using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The built-in scenarios: 63 over four tiers, eight families and three tasks. Titles describe
/// the question only; the fault design (which path is broken, how) is data in the definition and
/// never appears in anything an agent can read.
/// </summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<TaskDescriptor> Tasks { get; } =
    [
        new("task1", "Recover from a single bad retrieval path",
            "One retrieval path is reliably broken for the fact you need; the other paths work. Notice the failure (an error, an empty or odd result) and get the fact another way instead of retrying the broken path.", 6),
        new("task2", "Reconcile conflicting evidence",
            "Sources disagree. Compare their dates, fiscal years and reliability, prefer the most recent authoritative source, and answer with the current figure.", 8),
        new("task3", "Adapt under cascading faults",
            "Several paths fail one after another. Keep switching paths, verify what you get against a second source, and still answer within the step limit.", 10),
    ];

    public static IReadOnlyList<string> Tiers { get; } = ["warmup", "beginner", "intermediate", "expert"];

    public static IReadOnlyList<ScenarioDefinition> All { get; } = Build();

    public static ScenarioDefinition? Find(string id) => All.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));

    private const string Kb = ToolNames.KnowledgeBaseLookup;
    private const string Db = ToolNames.DatabaseQuery;
    private const string Api = ToolNames.ApiCall;
    private const string Web = ToolNames.WebSearch;
    private const string Docs = ToolNames.DocumentSearch;
    private const string File = ToolNames.ReadFile;

    private static List<ScenarioDefinition> Build()
    {
        var list = new List<ScenarioDefinition>();

        void T1(string id, string tier, ScenarioFamily family, string tool, FaultKind kind)
            => list.Add(new(id, "task1", tier, family, Title(family), BadPaths: [new BadPath(tool, kind)]));

        void T2(string id, string tier, ScenarioFamily family, string outdated)
            => list.Add(new(id, "task2", tier, family, Title(family) + " (conflicting sources)", OutdatedSource: outdated));

        void T3(string id, string tier, ScenarioFamily family, params BadPath[] cascade)
            => list.Add(new(id, "task3", tier, family, Title(family) + " (cascading faults)", BadPaths: cascade));

        // Warmup: transport faults only.
        T1("W01", "warmup", ScenarioFamily.Population, Kb, TransportFaults.Timeout);
        T1("W02", "warmup", ScenarioFamily.Population, Db, TransportFaults.ServerError);
        T1("W03", "warmup", ScenarioFamily.Population, Api, TransportFaults.RateLimit);
        T1("W04", "warmup", ScenarioFamily.Population, Web, TransportFaults.Timeout);
        T2("W05", "warmup", ScenarioFamily.Population, Kb);
        T2("W06", "warmup", ScenarioFamily.Population, Web);
        T3("W07", "warmup", ScenarioFamily.Population, new(Kb, TransportFaults.Timeout), new(Db, TransportFaults.ServerError));
        T3("W08", "warmup", ScenarioFamily.Population, new(Api, TransportFaults.Timeout), new(Web, TransportFaults.RateLimit));
        T1("W09", "warmup", ScenarioFamily.LaunchDate, Kb, TransportFaults.ServerError);
        T2("W10", "warmup", ScenarioFamily.LaunchDate, Api);
        T1("W11", "warmup", ScenarioFamily.CeoMultiHop, Db, TransportFaults.Timeout);
        T3("W12", "warmup", ScenarioFamily.CeoMultiHop, new(Kb, TransportFaults.Timeout), new(Db, TransportFaults.RateLimit));
        T1("W13", "warmup", ScenarioFamily.DaysBetween, Kb, TransportFaults.Timeout);
        T3("W14", "warmup", ScenarioFamily.TicketRevenue, new(Kb, TransportFaults.ServerError), new(Api, TransportFaults.Timeout));

        // Beginner: + stale data and schema drift.
        T1("B01", "beginner", ScenarioFamily.GdpPerCapita, Kb, ToolsFaultKinds.StaleData);
        T1("B02", "beginner", ScenarioFamily.GdpPerCapita, Db, TransportFaults.Timeout);
        T1("B03", "beginner", ScenarioFamily.GdpPerCapita, Api, ToolsFaultKinds.StaleData);
        T1("B04", "beginner", ScenarioFamily.GdpPerCapita, Web, TransportFaults.ServerError);
        T1("B05", "beginner", ScenarioFamily.GdpPerCapita, Kb, ToolsFaultKinds.SchemaDrift);
        T2("B06", "beginner", ScenarioFamily.GdpPerCapita, Kb);
        T2("B07", "beginner", ScenarioFamily.GdpPerCapita, File);
        T3("B08", "beginner", ScenarioFamily.GdpPerCapita, new(Kb, ToolsFaultKinds.StaleData), new(Db, TransportFaults.Timeout));
        T3("B09", "beginner", ScenarioFamily.GdpPerCapita, new(Api, TransportFaults.Timeout), new(Kb, TransportFaults.RateLimit));
        T1("B10", "beginner", ScenarioFamily.Population, Db, ToolsFaultKinds.StaleData);
        T1("B11", "beginner", ScenarioFamily.LaunchDate, Kb, ToolsFaultKinds.StaleData);
        T2("B12", "beginner", ScenarioFamily.LaunchDate, Web);
        T1("B13", "beginner", ScenarioFamily.CeoMultiHop, Kb, ToolsFaultKinds.StaleData);
        T2("B14", "beginner", ScenarioFamily.CeoMultiHop, Api);
        T3("B15", "beginner", ScenarioFamily.DaysBetween, new(Kb, ToolsFaultKinds.StaleData), new(Db, TransportFaults.ServerError));
        T1("B16", "beginner", ScenarioFamily.TicketRevenue, Kb, ToolsFaultKinds.StaleData);

        // Intermediate: + silent field drops, truncation, conflicting duplicates.
        T1("I01", "intermediate", ScenarioFamily.Density, Kb, ToolsFaultKinds.FieldDrop);
        T1("I02", "intermediate", ScenarioFamily.Density, Db, ToolsFaultKinds.Truncation);
        T1("I03", "intermediate", ScenarioFamily.Density, Api, ToolsFaultKinds.StaleData);
        T1("I04", "intermediate", ScenarioFamily.Density, Web, ToolsFaultKinds.FieldDrop);
        T1("I05", "intermediate", ScenarioFamily.Density, Kb, ToolsFaultKinds.ConflictingDuplicate);
        T2("I06", "intermediate", ScenarioFamily.Density, Kb);
        T2("I07", "intermediate", ScenarioFamily.Density, Api);
        T3("I08", "intermediate", ScenarioFamily.Density, new(Kb, ToolsFaultKinds.FieldDrop), new(Db, TransportFaults.Timeout));
        T3("I09", "intermediate", ScenarioFamily.Density, new(Api, ToolsFaultKinds.Truncation), new(Kb, ToolsFaultKinds.StaleData));
        T3("I10", "intermediate", ScenarioFamily.Density, new(Db, ToolsFaultKinds.SchemaDrift), new(Kb, TransportFaults.Timeout), new(Api, TransportFaults.RateLimit));
        T2("I11", "intermediate", ScenarioFamily.Population, File);
        T3("I12", "intermediate", ScenarioFamily.LaunchDate, new(Kb, ToolsFaultKinds.FieldDrop), new(Api, TransportFaults.ServerError));
        T3("I13", "intermediate", ScenarioFamily.CeoMultiHop, new(Kb, ToolsFaultKinds.StaleData), new(Api, ToolsFaultKinds.FieldDrop));
        T2("I14", "intermediate", ScenarioFamily.DaysBetween, Kb);
        T2("I15", "intermediate", ScenarioFamily.TicketRevenue, Kb);
        T3("I16", "intermediate", ScenarioFamily.GdpPerCapita, new(Kb, ToolsFaultKinds.Truncation), new(Db, ToolsFaultKinds.StaleData));

        // Expert: + value corruption and poisoned content.
        T1("E01", "expert", ScenarioFamily.RevenueClaim, Kb, ToolsFaultKinds.ValueCorruption);
        T1("E02", "expert", ScenarioFamily.RevenueClaim, Db, ToolsFaultKinds.StaleData);
        T1("E03", "expert", ScenarioFamily.RevenueClaim, Api, ToolsFaultKinds.ValueCorruption);
        T1("E04", "expert", ScenarioFamily.RevenueClaim, Docs, ToolsFaultKinds.PoisonedContent);
        T2("E05", "expert", ScenarioFamily.RevenueClaim, Kb);
        T2("E06", "expert", ScenarioFamily.RevenueClaim, Api);
        T2("E07", "expert", ScenarioFamily.RevenueClaim, Web);
        T2("E08", "expert", ScenarioFamily.RevenueClaim, File);
        T3("E09", "expert", ScenarioFamily.RevenueClaim, new(Kb, ToolsFaultKinds.ValueCorruption), new(Db, TransportFaults.Timeout));
        T3("E10", "expert", ScenarioFamily.RevenueClaim, new(Api, ToolsFaultKinds.StaleData), new(Kb, ToolsFaultKinds.ConflictingDuplicate));
        T3("E11", "expert", ScenarioFamily.RevenueClaim, new(Db, ToolsFaultKinds.ValueCorruption), new(Docs, ToolsFaultKinds.PoisonedContent), new(Kb, TransportFaults.RateLimit));
        T3("E12", "expert", ScenarioFamily.TicketRevenue, new(Kb, ToolsFaultKinds.ValueCorruption), new(Api, TransportFaults.Timeout));
        T1("E13", "expert", ScenarioFamily.TicketRevenue, Api, ToolsFaultKinds.ValueCorruption);
        T1("E14", "expert", ScenarioFamily.CeoMultiHop, Kb, ToolsFaultKinds.ValueCorruption);
        T3("E15", "expert", ScenarioFamily.DaysBetween, new(Kb, ToolsFaultKinds.StaleData), new(Api, ToolsFaultKinds.ValueCorruption));
        T2("E16", "expert", ScenarioFamily.Density, Kb);

        list.Add(FixedWorldScenarios.Population());
        return list;
    }

    public static string Title(ScenarioFamily family) => family switch
    {
        ScenarioFamily.Population => "Population of a country",
        ScenarioFamily.GdpPerCapita => "GDP per capita of the country with a given capital",
        ScenarioFamily.Density => "Which of two countries is denser, and by what factor",
        ScenarioFamily.RevenueClaim => "Is a company's revenue claim accurate",
        ScenarioFamily.LaunchDate => "When was a product launched",
        ScenarioFamily.DaysBetween => "Days between a product launch and an event",
        ScenarioFamily.CeoMultiHop => "CEO of the company headquartered in a country's capital",
        ScenarioFamily.TicketRevenue => "Resolve a ticket with a verified revenue figure",
        _ => family.ToString(),
    };

    public static string FamilyName(ScenarioFamily family) => family switch
    {
        ScenarioFamily.Population => "population",
        ScenarioFamily.GdpPerCapita => "gdp_per_capita",
        ScenarioFamily.Density => "density_comparison",
        ScenarioFamily.RevenueClaim => "revenue_claim",
        ScenarioFamily.LaunchDate => "launch_date",
        ScenarioFamily.DaysBetween => "days_between",
        ScenarioFamily.CeoMultiHop => "ceo_multi_hop",
        ScenarioFamily.TicketRevenue => "ticket_action",
        _ => family.ToString(),
    };
}
