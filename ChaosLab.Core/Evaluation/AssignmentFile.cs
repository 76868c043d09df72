using System.Globalization;
using System.Text.RegularExpressions;
using ChaosLab.Core.Environment;
using ChaosLab.Core.Harness;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// Reads an assignment file (the YAML shape documented on <see cref="Assignment"/>). Every error
/// names its place in the file as a path (<c>tasks[1].tiers[0]</c>) and its line; unknown keys are
/// errors that list the known ones, so a typo never silently changes what is evaluated.
/// </summary>
public static partial class AssignmentFile
{
    public const string ReferencePrefix = "reference:";
    public const string DefaultSplit = "test";
    public const int MaxConcurrency = 64;
    public const int MaxSeeds = 1000;
    public const int MaxTrials = 100;
    public const int MaxTopK = 20;

    private static readonly string[] TopKeys = ["name", "agent", "agents_file", "harness", "tasks", "split", "seeds", "trials", "concurrency", "output"];
    private static readonly string[] HarnessKeys = ["enabled", "h2", "h3", "h4", "h5", "h5_top_k"];
    private static readonly string[] TaskKeys = ["suite", "task", "tiers", "scenarios"];

    /// <param name="baseDirectory">The assignment file's folder: relative <c>agents_file</c> and <c>output</c> resolve against it (null: left as written).</param>
    public static EnvironmentResult<Assignment> Parse(string yaml, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return EnvironmentResult<Assignment>.Invalid(new ValidationError("", "An assignment is a YAML mapping (name, agent, tasks, ...)."));
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            return EnvironmentResult<Assignment>.Invalid(new ValidationError("", $"Not valid YAML: {e.InnerException?.Message ?? e.Message} (line {e.Start.Line}, column {e.Start.Column})."));
        }

        var reader = new Reader();
        var assignment = reader.ReadAssignment(root, baseDirectory);
        return reader.Errors.Count == 0 ? EnvironmentResult<Assignment>.Success(assignment) : EnvironmentResult<Assignment>.Invalid(reader.Errors);
    }

    /// <summary>Letters, digits, dot, dash and underscore: a name that is also a safe folder and seed purpose.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    internal static partial Regex NamePattern();

    /// <summary>Collects errors while it reads, so one pass reports every problem of the file.</summary>
    private sealed class Reader
    {
        public List<ValidationError> Errors { get; } = [];

        public Assignment ReadAssignment(YamlMappingNode root, string? baseDirectory)
        {
            var entries = Entries(root, "", TopKeys);
            var name = RequiredName(entries, "name");
            var agentsFile = OptionalString(entries, "agents_file") is { } file ? Resolve(file, baseDirectory) : null;
            var agent = ReadAgent(entries, agentsFile);
            var harness = entries.TryGetValue("harness", out var harnessNode) ? ReadHarness(harnessNode) : HarnessOptions.All;
            var tasks = ReadTasks(entries);
            var split = entries.ContainsKey("split") ? RequiredName(entries, "split") : DefaultSplit;
            var seeds = entries.TryGetValue("seeds", out var seedsNode) ? ReadSeeds(seedsNode) : [1];
            var trials = OptionalInt(entries, "trials", 1, MaxTrials) ?? 1;
            var concurrency = OptionalInt(entries, "concurrency", 1, MaxConcurrency) ?? 1;
            var output = OptionalString(entries, "output") is { } dir ? Resolve(dir, baseDirectory) : null;
            return new Assignment(name, agent, harness, tasks, split, seeds, trials, concurrency, output);
        }

        private AgentChoice ReadAgent(Dictionary<string, YamlNode> entries, string? agentsFile)
        {
            var agent = RequiredString(entries, "agent");
            if (agent is null)
            {
                return new AgentChoice(null, agentsFile, null);
            }

            if (agent.StartsWith(ReferencePrefix, StringComparison.Ordinal))
            {
                var reference = agent[ReferencePrefix.Length..].Trim();
                if (reference.Length == 0)
                {
                    Error("agent", entries["agent"], $"Name the reference agent after '{ReferencePrefix}', e.g. '{ReferencePrefix}resilient'.");
                }

                return new AgentChoice(null, null, reference);
            }

            return new AgentChoice(agent, agentsFile, null);
        }

        private HarnessOptions ReadHarness(YamlNode node)
        {
            if (node is not YamlMappingNode mapping)
            {
                Error("harness", node, "'harness' is a mapping of switches, e.g. { enabled: true, h2: true, h5_top_k: 3 }.");
                return HarnessOptions.All;
            }

            var entries = Entries(mapping, "harness.", HarnessKeys);
            return new HarnessOptions
            {
                Enabled = OptionalBool(entries, "harness.", "enabled") ?? true,
                H2 = OptionalBool(entries, "harness.", "h2") ?? true,
                H3 = OptionalBool(entries, "harness.", "h3") ?? true,
                H4 = OptionalBool(entries, "harness.", "h4") ?? true,
                H5 = OptionalBool(entries, "harness.", "h5") ?? true,
                H5TopK = OptionalInt(entries, "h5_top_k", 1, MaxTopK, "harness.") ?? HarnessOptions.DefaultTopK,
            };
        }

        private List<TaskSelection> ReadTasks(Dictionary<string, YamlNode> entries)
        {
            if (!entries.TryGetValue("tasks", out var node))
            {
                Errors.Add(new ValidationError("tasks", "'tasks' is required: a list of selections such as '- suite: tools'."));
                return [];
            }

            if (node is not YamlSequenceNode { Children.Count: > 0 } sequence)
            {
                Error("tasks", node, "'tasks' is a non-empty list of selections such as '- suite: tools'.");
                return [];
            }

            var tasks = new List<TaskSelection>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var path = $"tasks[{i}]";
                if (sequence.Children[i] is not YamlMappingNode mapping)
                {
                    Error(path, sequence.Children[i], "Each selection is a mapping with 'suite' and optionally 'task', 'tiers' and 'scenarios'.");
                    continue;
                }

                var task = Entries(mapping, path + ".", TaskKeys);
                var suite = RequiredString(task, "suite", path + ".");
                var taskId = OptionalString(task, "task", path + ".");
                var tiers = OptionalList(task, "tiers", path + ".");
                var scenarios = OptionalList(task, "scenarios", path + ".");
                if (suite is not null)
                {
                    tasks.Add(new TaskSelection(suite, taskId, tiers, scenarios));
                }
            }

            return tasks;
        }

        private List<int> ReadSeeds(YamlNode node)
        {
            if (node is YamlScalarNode scalar)
            {
                if (int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxSeeds)
                {
                    return [.. Enumerable.Range(1, count)];
                }

                Error("seeds", node, $"'seeds' is a count between 1 and {MaxSeeds} (seeds 1..N) or a list of seed indices such as [1, 2, 5].");
                return [];
            }

            if (node is not YamlSequenceNode { Children.Count: > 0 and <= MaxSeeds } sequence)
            {
                Error("seeds", node, $"'seeds' is a count between 1 and {MaxSeeds} (seeds 1..N) or a non-empty list of seed indices such as [1, 2, 5].");
                return [];
            }

            var seeds = new List<int>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                var child = sequence.Children[i];
                if (child is not YamlScalarNode { Value: { } text } || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
                {
                    Error($"seeds[{i}]", child, "A seed index is a whole number of at least 1.");
                }
                else if (seeds.Contains(index))
                {
                    Error($"seeds[{i}]", child, $"Seed index {index} is listed twice.");
                }
                else
                {
                    seeds.Add(index);
                }
            }

            return seeds;
        }

        /// <summary>The mapping's entries by key; unknown keys are errors.</summary>
        private Dictionary<string, YamlNode> Entries(YamlMappingNode mapping, string prefix, string[] known)
        {
            var entries = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? "";
                // A repeated key never gets here: the YAML reader refuses the whole file for it.
                if (known.Contains(key, StringComparer.Ordinal))
                {
                    entries[key] = value;
                }
                else
                {
                    Errors.Add(new ValidationError(prefix + key, $"Unknown key '{key}'{Line(keyNode)}; known keys: {string.Join(", ", known)}.", known));
                }
            }

            return entries;
        }

        private string RequiredName(Dictionary<string, YamlNode> entries, string key)
        {
            var value = RequiredString(entries, key);
            if (value is not null && !NamePattern().IsMatch(value))
            {
                Error(key, entries[key], $"'{key}' is 1-64 letters, digits, '.', '-' or '_', starting with a letter or digit.");
            }

            return value ?? "";
        }

        private string? RequiredString(Dictionary<string, YamlNode> entries, string key, string prefix = "")
        {
            if (!entries.ContainsKey(key))
            {
                Errors.Add(new ValidationError(prefix + key, $"'{key}' is required."));
                return null;
            }

            return OptionalString(entries, key, prefix);
        }

        private string? OptionalString(Dictionary<string, YamlNode> entries, string key, string prefix = "")
        {
            if (!entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node is YamlScalarNode { Value: { } value } && value.Trim().Length > 0)
            {
                return value.Trim();
            }

            Error(prefix + key, node, $"'{key}' must be a non-empty text.");
            return null;
        }

        private List<string>? OptionalList(Dictionary<string, YamlNode> entries, string key, string prefix)
        {
            if (!entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node is not YamlSequenceNode { Children.Count: > 0 } sequence)
            {
                Error(prefix + key, node, $"'{key}' is a non-empty list, e.g. [a, b]; leave it out to select all.");
                return null;
            }

            var values = new List<string>();
            for (var i = 0; i < sequence.Children.Count; i++)
            {
                if (sequence.Children[i] is YamlScalarNode { Value: { } value } && value.Trim().Length > 0)
                {
                    values.Add(value.Trim());
                }
                else
                {
                    Error($"{prefix}{key}[{i}]", sequence.Children[i], "Each entry is a name.");
                }
            }

            return values;
        }

        private bool? OptionalBool(Dictionary<string, YamlNode> entries, string prefix, string key)
        {
            if (!entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value))
            {
                return value;
            }

            Error(prefix + key, node, $"'{key}' is true or false.");
            return null;
        }

        private int? OptionalInt(Dictionary<string, YamlNode> entries, string key, int min, int max, string prefix = "")
        {
            if (!entries.TryGetValue(key, out var node))
            {
                return null;
            }

            if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            Error(prefix + key, node, $"'{key}' is a whole number from {min} to {max}.");
            return null;
        }

        private void Error(string path, YamlNode node, string message) =>
            Errors.Add(new ValidationError(path, message.TrimEnd('.') + Line(node) + "."));

        private static string Line(YamlNode node) => node.Start.Line > 0 ? $" (line {node.Start.Line})" : "";

        private static string Resolve(string path, string? baseDirectory) =>
            baseDirectory is null || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
    }
}
