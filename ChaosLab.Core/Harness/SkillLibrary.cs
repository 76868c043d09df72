namespace ChaosLab.Core.Harness;

/// <summary>
/// h5's procedural skills: plain markdown files per suite, embedded from
/// <c>Harness/Skills/&lt;suite&gt;/*.md</c> (<c>general</c> applies to every suite), each with a
/// small front matter (<c>title</c>, <c>families</c>, <c>tasks</c>, <c>tags</c>). A skill is a
/// procedure (how to work under the suite's conditions), never an answer or a fault's whereabouts.
/// </summary>
public sealed class SkillLibrary
{
    /// <summary>The folder whose skills apply to every suite.</summary>
    public const string GeneralSuite = "general";

    private static readonly Lazy<SkillLibrary> LazyBuiltIn = new(LoadBuiltIn);

    public SkillLibrary(IEnumerable<Skill> skills)
    {
        ArgumentNullException.ThrowIfNull(skills);
        Skills = [.. skills];
    }

    /// <summary>The skills embedded in Core.</summary>
    public static SkillLibrary BuiltIn => LazyBuiltIn.Value;

    public IReadOnlyList<Skill> Skills { get; }

    /// <summary>
    /// Reads one skill file: <c>---</c>, then <c>key: value</c> lines (<c>title</c> required;
    /// <c>families</c>, <c>tasks</c> and <c>tags</c> comma-separated, empty or <c>*</c> for all), <c>---</c>, then the body.
    /// </summary>
    /// <param name="id">"suite/name", e.g. "tools/retry-after".</param>
    public static Skill Parse(string id, string suite, string text)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        if (lines.Length < 3 || lines[0].Trim() != "---")
        {
            throw new FormatException($"Skill {id}: it must start with a '---' front matter.");
        }

        var end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
        if (end < 0)
        {
            throw new FormatException($"Skill {id}: the front matter has no closing '---'.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines[1..end].Where(l => l.Trim().Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"Skill {id}: '{line}' is not 'key: value'.");
            }

            fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var title = fields.GetValueOrDefault("title");
        var body = string.Join("\n", lines[(end + 1)..]).Trim();
        if (string.IsNullOrWhiteSpace(title) || body.Length == 0)
        {
            throw new FormatException($"Skill {id}: a title and a body are required.");
        }

        return new Skill(id, suite, title, List(fields, "families"), List(fields, "tasks"), List(fields, "tags"), body);
    }

    private static List<string> List(Dictionary<string, string> fields, string key) =>
        [.. (fields.GetValueOrDefault(key) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(v => v != "*")];

    private static SkillLibrary LoadBuiltIn()
    {
        var skills = new List<Skill>();
        foreach (var name in HarnessResources.List("Skills"))
        {
            // "Skills.tools/retry-after.md" (the folder kept as MSBuild's RecursiveDir writes it).
            var path = name["Skills.".Length..].Replace('\\', '/');
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            var suite = path[..slash];
            var file = Path.GetFileNameWithoutExtension(path[(slash + 1)..]);
            skills.Add(Parse($"{suite}/{file}", suite, HarnessResources.Read(name)!));
        }

        return new SkillLibrary(skills);
    }
}

/// <param name="Id">"suite/name", e.g. "tools/retry-after".</param>
/// <param name="Suite">The suite folder it came from ("general" for every suite).</param>
/// <param name="Families">The scenario families it is for; empty for every family.</param>
/// <param name="Tasks">The task ids it is for; empty for every task.</param>
public sealed record Skill(string Id, string Suite, string Title, IReadOnlyList<string> Families, IReadOnlyList<string> Tasks, IReadOnlyList<string> Tags, string Body)
{
    /// <summary>Whether it applies to <paramref name="task"/>: its suite (or general), its family and its task.</summary>
    public bool AppliesTo(TaskBrief task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return (Suite == task.Suite || Suite == SkillLibrary.GeneralSuite)
            && (Families.Count == 0 || Families.Contains(task.Family, StringComparer.Ordinal))
            && (Tasks.Count == 0 || Tasks.Contains(task.TaskId, StringComparer.Ordinal));
    }

    /// <summary>The skill as injected: its title as a heading and its body.</summary>
    public string ToPrompt() => $"### {Title}\n{Body}";
}
