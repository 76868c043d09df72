using System.Globalization;
using System.Text.RegularExpressions;
using ChaosLab.Core.Faults;
using ChaosLab.Core.Grading;
using ChaosLab.Core.Scenarios;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// The rules of a tools scenario document that its JSON Schema cannot state, each error pinned
/// to the field it is about by a JSON Pointer (<c>/faults/scripted/0/kind</c>), so an editor
/// can show it there. They also hold for a document nobody ran the schema over: every value
/// the conversion to a definition relies on is checked here.
/// </summary>
internal static partial class ToolsScenarioChecks
{
    /// <summary>The pattern of a scenario id, and of an authored document's id (it becomes a URL path segment).</summary>
    public const string IdPattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";

    public static IEnumerable<ScenarioError> Notes(ToolsScenarioDocument scenario)
    {
        if (scenario.Notes is { Length: > ToolsScenarioDocument.NotesMaxLength } notes)
        {
            yield return new("/notes", $"notes are at most {ToolsScenarioDocument.NotesMaxLength} characters (these are {notes.Length})");
        }
    }

    public static IEnumerable<ScenarioError> StepLimit(ToolsScenarioDocument scenario, ScenarioFamily family)
    {
        if (ScenarioCatalog.Tasks.All(t => t.Id != scenario.Task))
        {
            yield return new("/task", $"task must be one of: {string.Join(", ", ScenarioCatalog.Tasks.Select(t => t.Id))}");
            yield break;
        }

        var kinds = scenario.Faults.BadPaths.Select(b => ToolsFaultKinds.Find(b?.Kind ?? "")).OfType<FaultKind>().ToList();
        var (min, max) = StepBounds.For(scenario.Task, family, kinds);
        if (scenario.StepLimit < min || scenario.StepLimit > max)
        {
            yield return new("/step_limit", $"this {scenario.Task} {scenario.Family} scenario allows {min} to {max} steps: the resilient agent needs {min} to answer despite its designed faults, and {max} is the task's limit");
        }
    }

    public static IEnumerable<ScenarioError> Faults(ScenarioFaultSpec faults)
    {
        if (faults.BackgroundProbability is not (>= 0 and <= 1))
        {
            yield return new("/faults/background_probability", "a probability is between 0 and 1");
        }

        var badPathTools = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < faults.BadPaths.Count; i++)
        {
            var path = $"/faults/bad_paths/{i}";
            if (faults.BadPaths[i] is not { } bad)
            {
                yield return new(path, "a bad path is an object {tool, kind}");
                continue;
            }

            if (!ToolNames.Retrieval.Contains(bad.Tool))
            {
                yield return new(path + "/tool", $"a bad path is a retrieval tool: {string.Join(", ", ToolNames.Retrieval.Order(StringComparer.Ordinal))}");
            }
            else if (!badPathTools.TryAdd(bad.Tool, i))
            {
                yield return new(path + "/tool", $"{bad.Tool} is already a bad path (/faults/bad_paths/{badPathTools[bad.Tool]}); only the first rule for a call can fire");
            }

            if (ToolsFaultKinds.Find(bad.Kind) is null)
            {
                yield return UnknownKind(path + "/kind", bad.Kind);
            }
        }

        foreach (var error in ToolProbabilities(faults.ToolProbabilities ?? []))
        {
            yield return error;
        }

        foreach (var error in Scripted(faults.Scripted ?? []))
        {
            yield return error;
        }
    }

    private static IEnumerable<ScenarioError> ToolProbabilities(IReadOnlyList<ScenarioToolProbabilitySpec> chances)
    {
        var seen = new Dictionary<(string, string), int>();
        for (var i = 0; i < chances.Count; i++)
        {
            var path = $"/faults/tool_probabilities/{i}";
            if (chances[i] is not { } chance)
            {
                yield return new(path, "a tool probability is an object {tool, kind, probability}");
                continue;
            }

            var toolAndKindKnown = true;
            foreach (var error in ToolAndKind(path, chance.Tool, chance.Kind))
            {
                toolAndKindKnown = false;
                yield return error;
            }

            if (chance.Probability is not (>= 0 and <= 1))
            {
                yield return new(path + "/probability", "a probability is between 0 and 1");
            }

            if (toolAndKindKnown && !seen.TryAdd((chance.Tool, chance.Kind), i))
            {
                yield return new(path, $"{chance.Kind} on {chance.Tool} already has a probability (/faults/tool_probabilities/{seen[(chance.Tool, chance.Kind)]})");
            }
        }
    }

    private static IEnumerable<ScenarioError> Scripted(IReadOnlyList<ScenarioScriptedFaultSpec> scripted)
    {
        // Which entry already scripts a (tool, call filter, attempt): a second one could never fire there.
        var taken = new Dictionary<(string Tool, string Filter, int Attempt), int>();
        for (var i = 0; i < scripted.Count; i++)
        {
            var path = $"/faults/scripted/{i}";
            if (scripted[i] is not { } entry)
            {
                yield return new(path, "a scripted fault is an object {tool, kind, attempts}");
                continue;
            }

            foreach (var error in ToolAndKind(path, entry.Tool, entry.Kind))
            {
                yield return error;
            }

            var contain = entry.ArgumentsContain ?? [];
            for (var j = 0; j < contain.Count; j++)
            {
                if (string.IsNullOrWhiteSpace(contain[j]))
                {
                    yield return new($"{path}/arguments_contain/{j}", "an argument filter is a non-empty piece of text");
                }
            }

            var filter = string.Join("\n", contain.Select(c => (c ?? "").ToUpperInvariant()).Order(StringComparer.Ordinal));
            if (entry.Attempts.Count == 0)
            {
                yield return new(path + "/attempts", "list at least one attempt (1 = the first time the call is made)");
            }

            var attempts = new HashSet<int>();
            for (var j = 0; j < entry.Attempts.Count; j++)
            {
                var attempt = entry.Attempts[j];
                var attemptPath = $"{path}/attempts/{j}";
                if (attempt is < 1 or > ScenarioScriptedFaultSpec.MaxAttempt)
                {
                    yield return new(attemptPath, $"an attempt is 1 to {ScenarioScriptedFaultSpec.MaxAttempt} (1 = the first time the call is made, 2 = its first retry)");
                }
                else if (!attempts.Add(attempt))
                {
                    yield return new(attemptPath, $"attempt {attempt.ToString(CultureInfo.InvariantCulture)} is listed twice");
                }
                else if (!taken.TryAdd((entry.Tool, filter, attempt), i))
                {
                    yield return new(attemptPath, $"attempt {attempt.ToString(CultureInfo.InvariantCulture)} of {entry.Tool} is already scripted by /faults/scripted/{taken[(entry.Tool, filter, attempt)]}; only one fault fires per call");
                }
            }
        }
    }

    /// <summary>The tool exists and can show the kind (a calculator has no stale data; submitting never fails).</summary>
    private static IEnumerable<ScenarioError> ToolAndKind(string path, string tool, string kindName)
    {
        var definition = ToolRegistry.Find(tool);
        var kind = ToolsFaultKinds.Find(kindName);
        if (definition is null)
        {
            yield return new(path + "/tool", $"there is no tool '{tool}'");
        }
        else if (ToolsFaultKinds.ApplicableTo(definition) is { Count: 0 })
        {
            yield return new(path + "/tool", $"{tool} never fails: no fault applies to it");
        }

        if (kind is null)
        {
            yield return UnknownKind(path + "/kind", kindName);
        }
        else if (definition is not null && ToolsFaultKinds.ApplicableTo(definition) is { Count: > 0 } applicable && !applicable.Contains(kind))
        {
            yield return new(path + "/kind", $"{tool} cannot show {kind.Name}; its kinds are {string.Join(", ", applicable.Select(k => k.Name))}");
        }
    }

    private static ScenarioError UnknownKind(string path, string kind) =>
        new(path, $"'{kind}' is not a fault kind; use one of {string.Join(", ", ToolsFaultKinds.All.Select(k => k.Name))}");

    /// <summary>The overrides name the family's slots, once each, with a tolerance only on a number.</summary>
    public static IEnumerable<ScenarioError> Answer(IReadOnlyList<ScenarioAnswerSpec> answer, string familyName, IReadOnlyList<AnswerSlot> slots)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < answer.Count; i++)
        {
            var path = $"/answer/{i}";
            if (answer[i] is not { } change)
            {
                yield return new(path, "an answer override is an object {slot, tolerance, weight}");
                continue;
            }

            var slot = slots.FirstOrDefault(s => s.Name == change.Slot);
            if (slot is null)
            {
                yield return new(path + "/slot", $"{familyName} has no slot '{change.Slot}'; its slots are {string.Join(", ", slots.Select(s => s.Name))}");
            }
            else if (!seen.TryAdd(change.Slot, i))
            {
                yield return new(path + "/slot", $"slot '{change.Slot}' is already overridden (/answer/{seen[change.Slot]})");
            }

            if (change.Tolerance is { } tolerance)
            {
                if (slot is not null && slot.Kind != SlotKind.Number)
                {
                    yield return new(path + "/tolerance", $"'{slot.Name}' is a {slot.Kind.ToString().ToLowerInvariant()} slot: only number slots take a tolerance");
                }
                else if (tolerance is not (>= 0 and <= ScenarioAnswerSpec.MaxTolerance))
                {
                    yield return new(path + "/tolerance", $"a relative tolerance is between 0 and {ScenarioAnswerSpec.MaxTolerance.ToString(CultureInfo.InvariantCulture)}");
                }
            }

            if (change.Weight is { } weight && !(weight > 0 && double.IsFinite(weight)))
            {
                yield return new(path + "/weight", "a weight is a number above 0");
            }
        }
    }

    public static IEnumerable<ScenarioError> World(ScenarioWorldSpec world, ScenarioFamily family)
    {
        if (world.Source == ScenarioWorldSpec.Generated)
        {
            if (world.Data is not null || world.Targets is not null || world.ClaimedRevenueUsdBillions is not null)
            {
                yield return new("/world", "a generated world takes no data, targets or claim: each seed generates them");
            }

            if (world.Documents is not null)
            {
                yield return new("/world/documents", "only a fixed world takes authored documents: a generated world's corpus comes from each seed");
            }

            yield break;
        }

        if (world.Data is null || world.Targets is null)
        {
            yield return new("/world", "a fixed world needs data and targets");
            yield break;
        }

        foreach (var error in UniqueNames(world.Data).Concat(Documents(world.Documents ?? [])))
        {
            yield return error;
        }

        var roles = ScenarioQuestions.TargetRoles(family);
        foreach (var role in roles.Where(r => !world.Targets.ContainsKey(r)))
        {
            yield return new("/world/targets", $"{ScenarioCatalog.FamilyName(family)} needs the target '{role}'");
        }

        foreach (var role in world.Targets.Keys.Where(r => !roles.Contains(r)))
        {
            yield return new("/world/targets/" + role, $"'{role}' is not a target of {ScenarioCatalog.FamilyName(family)}; its targets are {string.Join(", ", roles)}");
        }

        foreach (var (role, name) in world.Targets.Where(t => roles.Contains(t.Key)))
        {
            var found = role switch
            {
                "country" or "other_country" => world.Data.FindCountry(name) is not null,
                "capital" => world.Data.Countries.Any(c => c?.Capital == name),
                "company" => world.Data.FindCompany(name) is not null,
                "product" => world.Data.Products.Any(p => p?.Name == name),
                _ => world.Data.Events.Any(e => e?.Name == name),
            };
            if (!found)
            {
                yield return new("/world/targets/" + role, $"the world has no {role.Replace('_', ' ')} '{name}'");
            }
        }
    }

    /// <summary>
    /// Names are how every tool finds an entity (case-insensitively): two countries called the
    /// same make a look-up answer for either, so a table names each entity once.
    /// </summary>
    private static IEnumerable<ScenarioError> UniqueNames(World data)
    {
        IEnumerable<(string Table, IReadOnlyList<string?> Names)> tables =
        [
            ("countries", [.. data.Countries.Select(c => c?.Name)]),
            ("cities", [.. data.Cities.Select(c => c?.Name)]),
            ("companies", [.. data.Companies.Select(c => c?.Name)]),
            ("people", [.. data.People.Select(p => p?.Name)]),
            ("products", [.. data.Products.Select(p => p?.Name)]),
            ("events", [.. data.Events.Select(e => e?.Name)]),
        ];
        foreach (var (table, names) in tables)
        {
            var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Count; i++)
            {
                if (names[i] is null)
                {
                    yield return new($"/world/data/{table}/{i}", "an entry is an object with a name");
                }
                else if (!seen.TryAdd(names[i]!, i))
                {
                    yield return new($"/world/data/{table}/{i}/name", $"'{names[i]}' is already the name of /world/data/{table}/{seen[names[i]!]}; names are unique per table");
                }
            }
        }
    }

    private static IEnumerable<ScenarioError> Documents(IReadOnlyList<ScenarioCorpusDocumentSpec> documents)
    {
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < documents.Count; i++)
        {
            var path = $"/world/documents/{i}";
            if (documents[i] is not { } document)
            {
                yield return new(path, "a document is an object {id, title, source, date, authority, text}");
                continue;
            }

            if (document.Id is null || !IdRegex().IsMatch(document.Id) || document.Id.EndsWith('\n'))
            {
                yield return new(path + "/id", "an id is 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
            else if (!seen.TryAdd(document.Id, i))
            {
                yield return new(path + "/id", $"'{document.Id}' is already the id of /world/documents/{seen[document.Id]} (ids are compared ignoring case: they are URLs)");
            }

            if (!AuthoredDocument.Authorities.Contains(document.Authority))
            {
                yield return new(path + "/authority", $"authority is one of {string.Join(", ", AuthoredDocument.Authorities)}");
            }

            foreach (var (field, value, max) in new[] { ("title", document.Title, 1000), ("source", document.Source, 200), ("text", document.Text, ScenarioCorpusDocumentSpec.TextMaxLength) })
            {
                if (string.IsNullOrWhiteSpace(value) || value.Length > max)
                {
                    yield return new($"{path}/{field}", $"{field} is 1 to {max} characters");
                }
            }
        }
    }

    /// <summary>Authored ids the generated corpus of the same world already uses.</summary>
    public static IEnumerable<ScenarioError> DocumentIdsFree(IReadOnlyList<ScenarioCorpusDocumentSpec> documents, DocumentCorpus generated)
    {
        var taken = generated.Documents.Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < documents.Count; i++)
        {
            if (taken.Contains(documents[i].Id))
            {
                yield return new($"/world/documents/{i}/id", $"'{documents[i].Id}' is the id of a document the world generates; choose another");
            }
        }
    }

    [GeneratedRegex(IdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex IdRegex();
}
