using System.Reflection;
using System.Text.Json;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Grading;
using ChaosLab.Core.Harness;
using ChaosLab.Core.Integrity;
using ChaosLab.Core.Recording;
using ChaosLab.Core.Scenarios;
using ChaosLab.Core.Suites.Tools;

namespace ChaosLab.Tests.Core.Harness;

/// <summary>
/// The harness never sees hidden information: no harness or LLM-agent type can hold, take or
/// return what a sealed episode hides, and no skill or suite data line carries an answer.
/// </summary>
public sealed class HarnessIsolationTests
{
    /// <summary>Namespaces whose code runs on the agent's side of the port (with their sub-namespaces).</summary>
    private static readonly string[] AgentSideNamespaces = ["ChaosLab.Core.Harness", "ChaosLab.Core.Agents.Llm"];

    private static readonly Type[] Hidden =
    [
        typeof(StepRecord), typeof(FaultDecision), typeof(EpisodeGrade), typeof(GradeCriterion), typeof(IEpisodeSession), typeof(ISuite),
        typeof(RecordedSession), typeof(IScenarioAnswerKeys), typeof(AnswerKey), typeof(SealedSeeds),
    ];

    private static readonly string[] SuiteDataFiles = ["tools", "mast", "gauntlet", "general"];

    private const string HiddenNamespace = "ChaosLab.Core.Persistence";

    [Fact]
    public void AgentSideTypes_NeverHoldTakeOrReturnHiddenInformation()
    {
        var types = typeof(EpisodeHarness).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && AgentSideNamespaces.Any(a => ns == a || ns.StartsWith(a + ".", StringComparison.Ordinal)))
            .ToList();

        Assert.Contains(typeof(EpisodeHarness), types);
        Assert.Contains(typeof(TrajectoryRegulator), types);
        Assert.Empty(types.SelectMany(Leaks));
    }

    [Fact]
    public void Leaks_TypeHoldingAFaultDecisionOrGenericOverAGrade_IsFound()
    {
        Assert.Equal(["field _decision: FaultDecision"], Leaks(typeof(LeakyField)));
        Assert.Equal(["method Grades returns: IReadOnlyList`1"], Leaks(typeof(LeakyMethod)));
        Assert.Empty(Leaks(typeof(CleanType)));
    }

    [Fact]
    public void Skills_AndSuiteData_NeverHoldAnAnswerOfTheToolsScenarios()
    {
        var texts = SkillLibrary.BuiltIn.Skills.Select(s => (Id: s.Id, Text: $"{s.Title}\n{string.Join(',', s.Tags)}\n{s.Body}"))
            .Concat(SuiteDataFiles.Select(suite => (Id: $"suite data {suite}", Text: string.Join("\n", SuiteLines(suite)))))
            .ToList();
        var answers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var document in new ToolsScenarioFormat().BuiltIn)
        {
            foreach (var seed in new long[] { 1, 2, 3, 7, 42 })
            {
                answers.UnionWith(ToolsScenarioFormat.AnswerSlots(document.Content, seed).Select(s => s.Expected).Where(e => e.Length >= 4));
            }
        }

        Assert.True(answers.Count > 100, $"only {answers.Count} answer values: the key was not read");
        var leaks = texts.SelectMany(t => answers.Where(a => t.Text.Contains(a, StringComparison.OrdinalIgnoreCase)).Select(a => $"{t.Id}: {a}")).ToList();
        Assert.Empty(leaks);
    }

    private static IEnumerable<string> SuiteLines(string suite)
    {
        var data = SuiteHarnessData.For(suite);
        return data.Constraints.Values.SelectMany(l => l);
    }

    /// <summary>Every member of <paramref name="type"/> whose type is, or is built over, hidden information.</summary>
    private static List<string> Leaks(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var leaks = new List<string>();
        void Check(string what, Type candidate)
        {
            if (IsHidden(candidate))
            {
                leaks.Add($"{what}: {candidate.Name}");
            }
        }

        if (type.BaseType is { } baseType)
        {
            Check("base type", baseType);
        }

        foreach (var face in type.GetInterfaces())
        {
            Check("interface", face);
        }

        foreach (var field in type.GetFields(All))
        {
            Check($"field {field.Name}", field.FieldType);
        }

        foreach (var property in type.GetProperties(All))
        {
            Check($"property {property.Name}", property.PropertyType);
        }

        foreach (var constructor in type.GetConstructors(All))
        {
            foreach (var parameter in constructor.GetParameters())
            {
                Check($"constructor parameter {parameter.Name}", parameter.ParameterType);
            }
        }

        foreach (var method in type.GetMethods(All))
        {
            Check($"method {method.Name} returns", method.ReturnType);
            foreach (var parameter in method.GetParameters())
            {
                Check($"method {method.Name} parameter {parameter.Name}", parameter.ParameterType);
            }
        }

        return leaks;
    }

    private static bool IsHidden(Type type)
    {
        if (type.HasElementType)
        {
            return IsHidden(type.GetElementType()!);
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition && type.GetGenericArguments().Any(IsHidden))
        {
            return true;
        }

        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return Hidden.Contains(definition) || Hidden.Any(h => h.IsAssignableFrom(definition) && h.IsInterface)
            || (definition.Namespace is { } ns && (ns == HiddenNamespace || ns.StartsWith(HiddenNamespace + ".", StringComparison.Ordinal)));
    }

#pragma warning disable CS0169, CA1823, IDE0051 // Fixtures for the detector: only their declared shapes matter.
    private sealed class LeakyField
    {
        private readonly FaultDecision? _decision;
    }

    private sealed class LeakyMethod
    {
        public static IReadOnlyList<EpisodeGrade> Grades() => [];
    }

    private sealed class CleanType
    {
        private readonly JsonElement _element;

        public static string Name(ChaosLab.Core.Agents.AgentStep step) => step.ToString();
    }
#pragma warning restore CS0169, CA1823, IDE0051
}
