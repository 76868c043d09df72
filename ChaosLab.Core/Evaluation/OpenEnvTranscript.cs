using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Core.Agents;

namespace ChaosLab.Core.Evaluation;

/// <summary>
/// The seed's inference contract (<c>--format openenv</c>): per episode a <c>[START]</c> line, one
/// <c>[STEP]</c> line per action and an <c>[END]</c> line, written even when the agent failed.
/// Numbers have two decimals in the invariant culture. Each episode's block is written at once,
/// under a lock, so episodes played concurrently never interleave their lines.
/// </summary>
public sealed class OpenEnvTranscript(TextWriter writer)
{
    public const string Environment = "chaoslab";

    private readonly Lock _lock = new();

    /// <summary>Writes one episode's block.</summary>
    /// <param name="steps">Each action as compact JSON with the reply it got, in order.</param>
    public void WriteEpisode(string task, string model, IReadOnlyList<(string Action, AgentStep Reply)> steps, bool success, double score)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var block = new StringBuilder();
        block.Append(Start(task, model)).Append('\n');
        foreach (var (action, reply) in steps)
        {
            block.Append(Step(reply.StepIndex, action, reply.Reward, reply.Done, ErrorOf(reply))).Append('\n');
        }

        var stepCount = steps.Count == 0 ? 0 : steps[^1].Reply.StepIndex;
        block.Append(End(success, stepCount, score, [.. steps.Select(s => s.Reply.Reward)])).Append('\n');
        lock (_lock)
        {
            writer.Write(block.ToString());
            writer.Flush();
        }
    }

    public static string Start(string task, string model) => $"[START] task={task} env={Environment} model={model}";

    public static string Step(int step, string action, double reward, bool done, string? error) =>
        $"[STEP] step={step.ToString(CultureInfo.InvariantCulture)} action={action} reward={Number(reward)} done={Bool(done)} error={OneLine(error) ?? "null"}";

    public static string End(bool success, int steps, double score, IReadOnlyList<double> rewards) =>
        $"[END] success={Bool(success)} steps={steps.ToString(CultureInfo.InvariantCulture)} score={Number(score)} rewards={string.Join(',', rewards.Select(Number))}";

    /// <summary>What went wrong with the step as the agent was told: the refusal, or the error in the observation.</summary>
    private static string? ErrorOf(AgentStep reply) =>
        reply.Refusal ?? (reply.Observation["error"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null);

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? OneLine(string? text) => text?.ReplaceLineEndings(" ");
}
