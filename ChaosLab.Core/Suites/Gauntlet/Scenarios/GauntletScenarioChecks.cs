using System.Globalization;
using System.Text.RegularExpressions;
using ChaosLab.Core.Scenarios;

namespace ChaosLab.Core.Suites.Gauntlet.Scenarios;

/// <summary>
/// The rules of a gauntlet scenario document its JSON Schema cannot state (a kind belongs to the
/// task's piece, a tier bounds the step limit, graded tiers cascade from 1), each error pinned to
/// its field by a JSON Pointer. They also hold for a document nobody ran the schema over, so an
/// accepted document always draws cases.
/// </summary>
internal static partial class GauntletScenarioChecks
{
    public const string IdPattern = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
    public const int TitleMaxLength = 200;
    public const int MinSteps = 4;
    public const int MinCases = 1;
    public const int MaxCases = 16;
    public const int RequirementTiers = 3;

    public static List<ScenarioError> Check(GauntletScenarioDefinition scenario, GauntletScenarioCatalog catalog)
    {
        var errors = new List<ScenarioError>();
        void Error(string path, string message) => errors.Add(new ScenarioError(path, message));

        if (!IdRegex().IsMatch(scenario.Id ?? ""))
        {
            Error("/id", "an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        if (scenario.Version < 1)
        {
            Error("/version", "versions start at 1");
        }

        if (scenario.Suite != GauntletScenarioCatalog.SuiteName)
        {
            Error("/suite", $"suite is {GauntletScenarioCatalog.SuiteName}");
        }

        var piece = catalog.Piece(scenario.TaskId);
        if (piece is null)
        {
            Error("/task", $"task must be one of: {string.Join(", ", catalog.Tasks.Select(t => t.Id))}");
        }
        else if (scenario.Family != piece.Id)
        {
            Error("/family", $"a gauntlet scenario's family is its task: {piece.Id}");
        }

        if (string.IsNullOrWhiteSpace(scenario.Title) || scenario.Title.Length > TitleMaxLength)
        {
            Error("/title", $"a title is 1 to {TitleMaxLength} characters");
        }

        if (scenario.Notes is { Length: > GauntletScenarioDefinition.NotesMaxLength } notes)
        {
            Error("/notes", $"notes are at most {GauntletScenarioDefinition.NotesMaxLength} characters (these are {notes.Length})");
        }

        if (!GauntletScenarioCatalog.Tiers.Contains(scenario.Tier))
        {
            Error("/tier", $"tier must be one of: {string.Join(", ", GauntletScenarioCatalog.Tiers)}");
        }
        else if (scenario.StepLimit < MinSteps || scenario.StepLimit > GauntletScenarioCatalog.MaxSteps(scenario.Tier))
        {
            Error("/step_limit", $"a {scenario.Tier} scenario allows {MinSteps} to {GauntletScenarioCatalog.MaxSteps(scenario.Tier)} steps");
        }

        if (!(scenario.Intensity is >= 0 and <= 1))
        {
            Error("/intensity", "intensity is between 0 (mild) and 1 (harshest)");
        }

        if (scenario.Cases is < MinCases or > MaxCases)
        {
            Error("/cases", $"a scenario grades {MinCases} to {MaxCases} hidden cases");
        }

        Kinds(scenario.Kinds, piece?.FaultKinds.Select(k => k.Name).ToList(), Error);
        Tiers(scenario.GradedTiers, Error);
        return errors;
    }

    private static void Kinds(IReadOnlyList<string> kinds, List<string>? valid, Action<string, string> error)
    {
        if (kinds.Count == 0)
        {
            error("/kinds", "at least one fault kind: the cases are drawn from them");
            return;
        }

        for (var i = 0; i < kinds.Count; i++)
        {
            var path = "/kinds/" + i.ToString(CultureInfo.InvariantCulture);
            if (valid is not null && !valid.Contains(kinds[i]))
            {
                error(path, $"\"{kinds[i]}\" is not a fault kind of this piece (valid: {string.Join(", ", valid)})");
            }
            else if (kinds.Take(i).Contains(kinds[i]))
            {
                error(path, $"\"{kinds[i]}\" is listed twice");
            }
        }
    }

    private static void Tiers(IReadOnlyList<int> tiers, Action<string, string> error)
    {
        if (tiers.Count == 0)
        {
            error("/graded_tiers", "at least tier 1 is graded");
            return;
        }

        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i] != i + 1)
            {
                error("/graded_tiers/" + i.ToString(CultureInfo.InvariantCulture),
                    $"graded tiers cascade from 1 without gaps ([1], [1, 2] or [1, 2, 3]): expected {i + 1}, got {tiers[i]}");
                return;
            }
        }

        if (tiers.Count > RequirementTiers)
        {
            error("/graded_tiers", $"a piece has {RequirementTiers} requirement tiers");
        }
    }

    [GeneratedRegex(IdPattern)]
    private static partial Regex IdRegex();
}
