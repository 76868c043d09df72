using System.Globalization;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Grading;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>Turns a scenario definition and a seed into a question, a world and a typed answer key.</summary>
public static class ScenarioTemplate
{
    public const string TicketField = "verified_revenue_usd_billions";

    public static ScenarioInstance Instantiate(ScenarioDefinition definition, long seed)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var world = definition.FixedWorld?.World ?? WorldGenerator.Generate(seed);
        var random = SeededStreams.Stream(seed, "scenario." + definition.Id);
        var targets = definition.FixedWorld?.Targets;
        var tickets = new List<TicketSeed>(BackgroundTickets(world));
        string? ticketId = null;
        string question;
        AnswerKey key;
        List<KeyFact> facts;
        List<string> entities;
        string[] tables;
        string conflictEntity;

        switch (definition.Family)
        {
            case ScenarioFamily.Population:
                {
                    var country = targets is null ? random.Pick(world.Countries) : world.FindCountry(targets["country"])!;
                    question = Ask(definition, new() { ["country"] = country.Name });
                    key = new AnswerKey([new AnswerSlot("population", SlotKind.Number, 1, (double)country.Population, $"population of {country.Name}", Cues: ["population", "inhabitants", "people"])]);
                    facts = [new KeyFact("population:" + country.Name, country.Name, "population", country.Population, null)];
                    entities = [country.Name];
                    tables = ["countries"];
                    conflictEntity = country.Name;
                    break;
                }

            case ScenarioFamily.GdpPerCapita:
                {
                    var country = targets is null ? random.Pick(world.Countries) : world.Countries.First(c => c.Capital == targets["capital"]);
                    question = Ask(definition, new() { ["capital"] = country.Capital, ["country"] = country.Name });
                    var perCapita = country.GdpPerCapitaAt(Snapshot.Current);
                    key = new AnswerKey([new AnswerSlot("gdp_per_capita_usd", SlotKind.Number, 1, (double)perCapita, $"GDP per capita of {country.Name} in USD", Cues: ["gdp", "per capita"])]);
                    facts =
                    [
                        new KeyFact("capital:" + country.Name, country.Name, "capital", null, country.Capital),
                        new KeyFact("gdp_per_capita:" + country.Name, country.Name, "gdp_per_capita_usd", perCapita, null),
                    ];
                    entities = [country.Capital, country.Name];
                    tables = ["countries", "cities"];
                    conflictEntity = country.Name;
                    break;
                }

            case ScenarioFamily.Density:
                {
                    var (a, b) = targets is null ? PickDensityPair(world, random) : (world.FindCountry(targets["country"])!, world.FindCountry(targets["other_country"])!);
                    var (denser, other) = a.DensityAt(Snapshot.Current) >= b.DensityAt(Snapshot.Current) ? (a, b) : (b, a);
                    var factor = Math.Round(denser.DensityAt(Snapshot.Current) / other.DensityAt(Snapshot.Current), 4);
                    question = Ask(definition, new() { ["country"] = a.Name, ["other_country"] = b.Name });
                    key = new AnswerKey(
                    [
                        new AnswerSlot("denser_country", SlotKind.Entity, 0.4, denser.Name, "the more densely populated country", Choices: [a.Name, b.Name]),
                        new AnswerSlot("density_factor", SlotKind.Number, 0.6, factor, "ratio of the two densities (denser / other)", RelativeTolerance: 0.03, Cues: ["factor", "times"]),
                    ]);
                    facts =
                    [
                        new KeyFact("population:" + a.Name, a.Name, "population", a.Population, null),
                        new KeyFact("area:" + a.Name, a.Name, "area_km2", a.AreaKm2, null),
                        new KeyFact("population:" + b.Name, b.Name, "population", b.Population, null),
                        new KeyFact("area:" + b.Name, b.Name, "area_km2", b.AreaKm2, null),
                    ];
                    entities = [a.Name, b.Name];
                    tables = ["countries"];
                    conflictEntity = denser.Name;
                    break;
                }

            case ScenarioFamily.RevenueClaim:
                {
                    var company = targets is null ? random.Pick(world.Companies) : world.FindCompany(targets["company"])!;
                    var claim = definition.FixedWorld?.ClaimedRevenueUsdBillions ?? Claim(company, random);
                    var accurate = Math.Abs(claim - company.RevenueUsdBillions) / company.RevenueUsdBillions <= 0.02;
                    var claimText = claim.ToString("0.00", CultureInfo.InvariantCulture);
                    question = Ask(definition, new() { ["company"] = company.Name, ["claim"] = claimText, ["year"] = Year });
                    key = new AnswerKey(
                    [
                        new AnswerSlot("claim_accurate", SlotKind.Boolean, 0.4, accurate, "whether the claim is within 2% of the real figure", Cues: ["accurate", "claim"]),
                        new AnswerSlot("revenue_usd", SlotKind.Number, 0.6, company.RevenueUsdBillions * 1e9, $"real FY{World.CurrentYear} revenue of {company.Name} in USD", RelativeTolerance: 0.005, Cues: ["revenue"], QuestionValues: [claim * 1e9, claim, World.CurrentYear]),
                    ]);
                    facts = [new KeyFact("revenue:" + company.Name, company.Name, "revenue_usd_billions", company.RevenueUsdBillions, null)];
                    entities = [FirstWord(company.Name)];
                    tables = ["financials"];
                    conflictEntity = company.Name;
                    break;
                }

            case ScenarioFamily.LaunchDate:
                {
                    var product = targets is null ? random.Pick(world.Products) : world.Products.First(p => p.Name == targets["product"]);
                    question = Ask(definition, new() { ["company"] = product.Company, ["product"] = product.Name });
                    key = new AnswerKey([new AnswerSlot("launch_date", SlotKind.Date, 1, product.LaunchDate, $"launch date of {product.Name}", Cues: ["launch", "launched"])]);
                    facts = [new KeyFact("launch:" + product.Name, product.Name, "launch_date", null, Iso(product.LaunchDate))];
                    entities = [FirstWord(product.Name)];
                    tables = ["products"];
                    conflictEntity = product.Name;
                    break;
                }

            case ScenarioFamily.DaysBetween:
                {
                    var product = targets is null ? random.Pick(world.Products) : world.Products.First(p => p.Name == targets["product"]);
                    var worldEvent = targets is null ? random.Pick(world.Events) : world.Events.First(e => e.Name == targets["event"]);
                    var days = Math.Abs(product.LaunchDate.DayNumber - worldEvent.Date.DayNumber);
                    question = Ask(definition, new() { ["product"] = product.Name, ["event"] = worldEvent.Name });
                    key = new AnswerKey([new AnswerSlot("days", SlotKind.Number, 1, (double)days, "days between the two dates", RelativeTolerance: 0.001, Cues: ["days"])]);
                    facts =
                    [
                        new KeyFact("launch:" + product.Name, product.Name, "launch_date", null, Iso(product.LaunchDate)),
                        new KeyFact("event:" + worldEvent.Name, worldEvent.Name, "date", null, Iso(worldEvent.Date)),
                    ];
                    entities = [FirstWord(product.Name), worldEvent.Name];
                    tables = ["products", "events"];
                    conflictEntity = product.Name;
                    break;
                }

            case ScenarioFamily.CeoMultiHop:
                {
                    var country = targets is null ? random.Pick(world.Countries) : world.FindCountry(targets["country"])!;
                    var company = world.Companies.First(c => c.HeadquartersCity == country.Capital);
                    question = Ask(definition, new() { ["country"] = country.Name });
                    // Every person in the world is a candidate, so naming them all is ambiguous, not correct.
                    key = new AnswerKey([new AnswerSlot("ceo", SlotKind.Entity, 1, company.Ceo, $"current CEO of {company.Name}", Aliases: [company.Ceo.Split(' ')[^1]], Choices: [.. world.People.Select(p => p.Name)])]);
                    facts =
                    [
                        new KeyFact("capital:" + country.Name, country.Name, "capital", null, country.Capital),
                        new KeyFact("headquarters:" + company.Name, company.Name, "headquarters_city", null, country.Capital),
                        new KeyFact("ceo:" + company.Name, company.Name, "ceo", null, company.Ceo),
                    ];
                    entities = [country.Name, country.Capital, FirstWord(company.Name)];
                    tables = ["companies", "people"];
                    conflictEntity = company.Name;
                    break;
                }

            case ScenarioFamily.TicketRevenue:
                {
                    var company = targets is null ? random.Pick(world.Companies) : world.FindCompany(targets["company"])!;
                    ticketId = "TCK-" + random.Next(1100, 1999).ToString(CultureInfo.InvariantCulture);
                    tickets.Add(new TicketSeed(ticketId, $"Verify FY{World.CurrentYear} revenue of {company.Name}", $"Finance needs the verified FY{World.CurrentYear} revenue of {company.Name} for the quarterly board pack. Record it in the field {TicketField} (a plain number, USD billions) and resolve the ticket.", "open", "agent"));
                    question = Ask(definition, new() { ["ticket"] = ticketId, ["company"] = company.Name, ["year"] = Year, ["field"] = TicketField });
                    key = new AnswerKey(
                    [
                        new AnswerSlot(TicketField, SlotKind.Number, 0.8, company.RevenueUsdBillions, $"ticket field {TicketField}", RelativeTolerance: 0.005),
                        new AnswerSlot("resolved", SlotKind.Boolean, 0.2, true, "ticket status is resolved"),
                    ]);
                    facts = [new KeyFact("revenue:" + company.Name, company.Name, "revenue_usd_billions", company.RevenueUsdBillions, null)];
                    entities = [FirstWord(company.Name)];
                    tables = ["financials"];
                    conflictEntity = company.Name;
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(definition), definition.Family, "unknown family");
        }

        var plan = BuildFaultPlan(definition, entities, tables);
        key = Override(key, definition.AnswerOverrides);
        return new ScenarioInstance(definition, world, question, key, facts, entities, plan, tickets, ticketId, definition.TaskId == "task2" ? conflictEntity : null);
    }

    private static readonly string Year = World.CurrentYear.ToString(CultureInfo.InvariantCulture);

    private static string Ask(ScenarioDefinition definition, Dictionary<string, string> values) =>
        ScenarioQuestions.Fill(definition.Question ?? ScenarioQuestions.DefaultTemplate(definition.Family), values);

    /// <summary>Background fault probability per call, by tier.</summary>
    public static double TierProbability(string tier) => tier switch
    {
        "warmup" => 0.12,
        "beginner" => 0.24,
        "intermediate" => 0.44,
        _ => 0.70,
    };

    /// <summary>The kinds a tier's background faults draw from; each tier adds to the one before.</summary>
    public static IReadOnlyList<FaultKind> TierKinds(string tier)
    {
        var kinds = new List<FaultKind>(TransportFaults.All);
        if (tier is "beginner" or "intermediate" or "expert")
        {
            kinds.AddRange([ToolsFaultKinds.StaleData, ToolsFaultKinds.SchemaDrift]);
        }

        if (tier is "intermediate" or "expert")
        {
            kinds.AddRange([ToolsFaultKinds.FieldDrop, ToolsFaultKinds.Truncation, ToolsFaultKinds.ConflictingDuplicate]);
        }

        if (tier is "expert")
        {
            kinds.AddRange([ToolsFaultKinds.ValueCorruption, ToolsFaultKinds.PoisonedContent]);
        }

        return kinds;
    }

    /// <remarks>
    /// Rule order decides which fires when several would: scripted faults first (the author's most
    /// specific word), then the designated bad paths, then the authored per-tool chances. A
    /// scenario without authored faults keeps the rule indexes its recorded rolls were drawn under.
    /// </remarks>
    private static FaultPlan BuildFaultPlan(ScenarioDefinition definition, List<string> entities, string[] tables)
    {
        var rules = new List<FaultRule>();
        foreach (var scripted in definition.ScriptedFaults ?? [])
        {
            var needles = scripted.ArgumentsContain is { Count: > 0 } contain ? contain : null;
            rules.Add(new FaultRule(scripted.Kind, scripted.Tool, new FaultTrigger(1.0, needles, [.. scripted.Attempts.Select(a => a - 1)]), ScriptedReason(scripted)));
        }

        foreach (var bad in definition.BadPaths ?? [])
        {
            var needles = bad.Tool == ToolNames.DatabaseQuery ? entities.Concat(tables).ToList() : entities;
            rules.Add(new FaultRule(bad.Kind, bad.Tool, new FaultTrigger(1.0, needles), definition.TaskId == "task3" ? "cascade: this path is broken for the key facts" : "designated bad retrieval path for the key fact"));
        }

        foreach (var chance in definition.ToolProbabilities ?? [])
        {
            var p = chance.Probability.ToString("0.###", CultureInfo.InvariantCulture);
            rules.Add(new FaultRule(chance.Kind, chance.Tool, new FaultTrigger(chance.Probability), $"authored: {chance.Kind.Name} on {chance.Tool} with p={p}"));
        }

        return new FaultPlan(definition.FaultProbability ?? TierProbability(definition.Tier), TierKinds(definition.Tier), rules);
    }

    /// <summary>"scripted: timeout on attempt 1", as the replay's fault inspector shows the rule.</summary>
    private static string ScriptedReason(ScriptedFault scripted)
    {
        var attempts = string.Join(", ", scripted.Attempts.Select(a => a.ToString(CultureInfo.InvariantCulture)));
        var reason = $"scripted: {scripted.Kind.Name} on attempt{(scripted.Attempts.Count == 1 ? "" : "s")} {attempts}";
        return scripted.ArgumentsContain is { Count: > 0 } contain
            ? reason + " of calls whose arguments contain " + string.Join(" or ", contain.Select(c => "'" + c + "'"))
            : reason;
    }

    /// <summary>The key with the author's tolerances and weights; the expected values stay the world's.</summary>
    private static AnswerKey Override(AnswerKey key, IReadOnlyList<AnswerOverride>? overrides)
    {
        if (overrides is not { Count: > 0 })
        {
            return key;
        }

        var slots = key.Slots.ToList();
        foreach (var change in overrides)
        {
            var index = slots.FindIndex(s => s.Name == change.Slot);
            if (index < 0)
            {
                throw new ArgumentException($"the answer key has no slot '{change.Slot}'", nameof(overrides));
            }

            var slot = slots[index];
            if (change.Tolerance is not null && slot.Kind != SlotKind.Number)
            {
                throw new ArgumentException($"slot '{change.Slot}' is not a number and takes no tolerance", nameof(overrides));
            }

            slots[index] = slot with { RelativeTolerance = change.Tolerance ?? slot.RelativeTolerance, Weight = change.Weight ?? slot.Weight };
        }

        return new AnswerKey(slots);
    }

    private static (Country, Country) PickDensityPair(World world, DeterministicRandom random)
    {
        for (var attempt = 0; ; attempt++)
        {
            var a = random.Pick(world.Countries);
            var b = random.Pick(world.Countries);
            var ratio = a.DensityAt(Snapshot.Current) / b.DensityAt(Snapshot.Current);
            ratio = ratio < 1 ? 1 / ratio : ratio;
            if (a != b && ((ratio is >= 1.25 and <= 12) || attempt > 200))
            {
                return (a, b);
            }
        }
    }

    /// <summary>
    /// The claimed figure: 40% of claims are accurate (0.6-1.9% off, so echoing the claim never
    /// passes the 0.5% tolerance of the real figure); the rest are last year's figure or 12-40% off.
    /// </summary>
    private static double Claim(Company company, DeterministicRandom random)
    {
        var actual = company.RevenueUsdBillions;
        var roll = random.NextDouble();
        if (roll < 0.4)
        {
            for (var attempt = 0; attempt < 100; attempt++)
            {
                var claim = Math.Round(actual * (1 + (random.NextDouble(0.007, 0.018) * (random.NextDouble() < 0.5 ? -1 : 1))), 2);
                var off = Math.Abs(claim - actual) / actual;
                if (off is >= 0.006 and <= 0.019)
                {
                    return claim;
                }
            }
        }

        if (roll < 0.7)
        {
            return company.PreviousRevenueUsdBillions;
        }

        return Math.Round(actual * (1 + (random.NextDouble(0.12, 0.4) * (random.NextDouble() < 0.5 ? -1 : 1))), 2);
    }

    private static IEnumerable<TicketSeed> BackgroundTickets(World world)
    {
        yield return new TicketSeed("TCK-1001", "Refresh the country fact sheets", $"The fact sheet for {world.Countries[0].Name} still cites last year's census.", "in_progress", "data-team");
        yield return new TicketSeed("TCK-1002", "Broken link on the products page", "The page for the newest products returns 404 for some visitors.", "open", "web-team");
        yield return new TicketSeed("TCK-1003", "Quarterly review reminder", "Collect the figures for the quarterly review.", "closed", "finance");
    }

    internal static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static string FirstWord(string name) => name.Split(' ')[0];
}
