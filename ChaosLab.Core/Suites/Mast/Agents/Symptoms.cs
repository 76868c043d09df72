using System.Globalization;
using System.Text.RegularExpressions;

namespace ChaosLab.Core.Suites.Mast.Agents;

/// <summary>
/// What an operator concludes from one line of a log, a trace or a failure reason: the fault
/// kind it is a symptom of, the agent it names (when it names one) and the values it carries.
/// </summary>
/// <param name="Kind">A <see cref="MastFaultKinds"/> name.</param>
public sealed record Symptom(string Kind, string? Agent, IReadOnlyDictionary<string, int> Values)
{
    public int? Value(string name) => Values.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// Reads the symptom lines the simulated agents and the monitoring write (the texts the suite's
/// design publishes) as an operator would: by their words, never from the instance. Also sorts
/// a failure reason into the question it raises when it names no agent.
/// </summary>
public static partial class Symptoms
{
    /// <summary>What a failure reason alone says happened, before logs name the cause.</summary>
    public enum FailureClass
    {
        /// <summary>None of the reasons below; logs have to tell.</summary>
        Other,

        /// <summary><c>output violates &lt;constraint&gt;</c>: a task constraint was ignored or forgotten (FM-1.1 or FM-1.4).</summary>
        ConstraintViolated,

        /// <summary><c>output covers k of n items</c>: an agent did another role's work (FM-1.2).</summary>
        ItemsMissing,

        /// <summary><c>run stopped at the turn limit</c>: repetition or no stop condition (FM-1.3 or FM-1.5).</summary>
        TurnLimit,

        /// <summary><c>&lt;consumer&gt; failed: input unreadable</c> (FM-2.5).</summary>
        InputUnreadable,

        /// <summary><c>step i: effect ... does not match the plan's ...</c> (FM-2.6).</summary>
        EffectMismatch,

        /// <summary><c>final output was not verified</c> (FM-3.1).</summary>
        NotVerified,

        /// <summary><c>defect in section i reached the output</c> (FM-3.2).</summary>
        DefectPassed,

        /// <summary><c>output contradicts itself</c> (FM-3.3).</summary>
        Contradiction,
    }

    public static FailureClass Classify(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return FailureClass.Other;
        }

        return reason switch
        {
            _ when ConstraintReason().IsMatch(reason) => FailureClass.ConstraintViolated,
            _ when ItemsReason().IsMatch(reason) => FailureClass.ItemsMissing,
            _ when TurnLimitReason().IsMatch(reason) => FailureClass.TurnLimit,
            _ when UnreadableReason().IsMatch(reason) => FailureClass.InputUnreadable,
            _ when EffectReason().IsMatch(reason) => FailureClass.EffectMismatch,
            _ when reason.Contains("final output was not verified", StringComparison.Ordinal) => FailureClass.NotVerified,
            _ when DefectReason().IsMatch(reason) => FailureClass.DefectPassed,
            _ when reason.Contains("output contradicts itself", StringComparison.Ordinal) => FailureClass.Contradiction,
            _ => FailureClass.Other,
        };
    }

    /// <summary>The consumer a <see cref="FailureClass.InputUnreadable"/> reason names.</summary>
    public static string? UnreadableConsumer(string reason) => UnreadableReason().Match(reason ?? "") is { Success: true } m ? m.Groups["consumer"].Value : null;

    /// <summary>Every symptom in one line of text.</summary>
    /// <param name="author">Whose log the line is from: the agent a line without an <c>&lt;agent&gt;:</c> prefix is about.</param>
    public static IEnumerable<Symptom> Read(string? line, string? author = null)
    {
        if (string.IsNullOrEmpty(line))
        {
            yield break;
        }

        var prefix = Prefix().Match(line);
        var speaker = prefix.Success ? prefix.Groups["agent"].Value : author;
        if (line.Contains("role prompt names no task constraints", StringComparison.Ordinal))
        {
            yield return new Symptom(MastFaultKinds.TaskSpecViolation.Name, speaker, Empty);
        }

        if (Expected().Match(line) is { Success: true } drift)
        {
            yield return new Symptom(MastFaultKinds.RoleDrift.Name, drift.Groups["agent"].Value, Empty);
        }

        if (Repeated().IsMatch(line))
        {
            yield return new Symptom(MastFaultKinds.StepRepetition.Name, speaker, Empty);
        }

        if (History().Match(line) is { Success: true } history)
        {
            yield return new Symptom(MastFaultKinds.HistoryLoss.Name, speaker, Values(("history", history.Groups["h"].Value), ("window", history.Groups["w"].Value)));
        }

        if (line.Contains("work done, no stop condition", StringComparison.Ordinal))
        {
            yield return new Symptom(MastFaultKinds.NoStopCondition.Name, speaker, Empty);
        }

        if (CannotParse().Match(line) is { Success: true } parse)
        {
            yield return new Symptom(MastFaultKinds.FormatMismatch.Name, parse.Groups["producer"].Value, Empty);
        }

        if (line.Contains("declaring the work done", StringComparison.Ordinal))
        {
            yield return new Symptom(MastFaultKinds.PrematureTermination.Name, speaker, Empty);
        }

        if (Reviewed().Match(line) is { Success: true } review && Int(review.Groups["to"].Value) - Int(review.Groups["from"].Value) + 1 < Int(review.Groups["of"].Value))
        {
            var first = Int(review.Groups["from"].Value);
            var last = Int(review.Groups["to"].Value);
            yield return new Symptom(MastFaultKinds.IncompleteVerification.Name, null, Values(("coverage", (last - first + 1).ToString(CultureInfo.InvariantCulture)), ("sections", review.Groups["of"].Value)));
        }

        if (line.Contains("all sections pass individual checks", StringComparison.Ordinal))
        {
            yield return new Symptom(MastFaultKinds.IncorrectVerification.Name, null, Empty);
        }

        if (line.Contains("503 Service Unavailable", StringComparison.Ordinal))
        {
            yield return new Symptom(MastFaultKinds.BackendError.Name, speaker, Empty);
        }

        if (RetryAfter().Match(line) is { Success: true } limited)
        {
            yield return new Symptom(MastFaultKinds.BackendRateLimit.Name, speaker, Values(("retry_after_ms", limited.Groups["r"].Value)));
        }
        else if (line.Contains("429 Too Many Requests", StringComparison.Ordinal))
        {
            yield return new Symptom(MastFaultKinds.BackendRateLimit.Name, speaker, Empty);
        }

        if (line.Contains("upstream unreachable", StringComparison.Ordinal) || line.Contains("circuit open", StringComparison.Ordinal))
        {
            yield return new Symptom(MastFaultKinds.BackendOutage.Name, speaker, Empty);
        }
        else if (TimedOut().Match(line) is { Success: true } slow)
        {
            yield return new Symptom(MastFaultKinds.BackendSlow.Name, speaker, Values(("timeout_ms", slow.Groups["t"].Value)));
        }
    }

    private static readonly IReadOnlyDictionary<string, int> Empty = new Dictionary<string, int>();

    private static Dictionary<string, int> Values(params (string Name, string Text)[] values) =>
        values.ToDictionary(v => v.Name, v => Int(v.Text), StringComparer.Ordinal);

    private static int Int(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    [GeneratedRegex(@"^(?<agent>[a-z_]+-\d+):")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"expected \S+ from (?<agent>[a-z_]+-\d+), got \S+")]
    private static partial Regex Expected();

    [GeneratedRegex(@"repeated step '[^']*'")]
    private static partial Regex Repeated();

    [GeneratedRegex(@"history (?<h>\d+) tokens exceeds window (?<w>\d+)")]
    private static partial Regex History();

    [GeneratedRegex(@"cannot parse input from (?<producer>[a-z_]+-\d+) as json")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"reviewed sections (?<from>\d+)-(?<to>\d+) of (?<of>\d+)")]
    private static partial Regex Reviewed();

    [GeneratedRegex(@"Retry-After: (?<r>\d+) ms")]
    private static partial Regex RetryAfter();

    [GeneratedRegex(@"timed out after (?<t>\d+) ms")]
    private static partial Regex TimedOut();

    [GeneratedRegex(@"output violates [a-z_]+")]
    private static partial Regex ConstraintReason();

    [GeneratedRegex(@"output covers \d+ of \d+ items")]
    private static partial Regex ItemsReason();

    [GeneratedRegex(@"run stopped at the turn limit")]
    private static partial Regex TurnLimitReason();

    [GeneratedRegex(@"(?<consumer>[a-z_]+-\d+) failed: input unreadable")]
    private static partial Regex UnreadableReason();

    [GeneratedRegex(@"step \d+: effect '[^']*' does not match the plan's")]
    private static partial Regex EffectReason();

    [GeneratedRegex(@"defect in section \d+ reached the output")]
    private static partial Regex DefectReason();
}
