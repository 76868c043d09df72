using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// How to reach one model behind an OpenAI-compatible chat-completions endpoint, as a profile file
/// names it (see <see cref="AgentProfiles"/>). Header values are templates: <c>${VAR}</c> is read
/// from the environment each time a request is sent, so a key is never held here, stored or logged.
/// </summary>
/// <param name="Endpoint">The API base the client appends <c>/chat/completions</c> to (e.g. <c>http://localhost:8000/v1</c>).</param>
/// <param name="Headers">Header name to value template, as written in the profile.</param>
/// <param name="Body">Every body key of the profile (model, max_tokens, temperature, top_p, seed, ...), sent as written with each request.</param>
/// <param name="Retries">Extra requests after a failed one (429, 5xx, timeout, connection reset): <c>retries: 3</c> is at most 4 requests.</param>
public sealed partial record AgentProfile(
    string Name,
    Uri Endpoint,
    IReadOnlyDictionary<string, string> Headers,
    string Model,
    JsonObject Body,
    TimeSpan Timeout,
    int Retries)
{
    public const int DefaultRetries = 3;

    /// <summary>What <see cref="Redact"/> puts in place of a header value.</summary>
    public const string Redaction = "***";

    /// <summary>Shorter values are not blanked out (a header like "X-Team: red" is no secret, and blanking "a" would shred the text).</summary>
    private const int MinSecretLength = 6;

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>The URL requests are posted to, for messages.</summary>
    public string ChatCompletionsUrl => Endpoint.AbsoluteUri.TrimEnd('/') + "/chat/completions";

    /// <summary>The environment variables the headers name, in order of appearance, each once.</summary>
    public IReadOnlyList<string> Variables => [.. Headers.Values.SelectMany(VariablesIn).Distinct(StringComparer.Ordinal)];

    /// <summary>The variables in <paramref name="template"/>, e.g. <c>Bearer ${OPENAI_API_KEY}</c> names OPENAI_API_KEY.</summary>
    public static IEnumerable<string> VariablesIn(string template) => VariablePattern().Matches(template).Select(m => m.Groups["name"].Value);

    /// <summary>The variables the headers need that <paramref name="environment"/> does not have (unset or empty).</summary>
    public IReadOnlyList<string> MissingVariables(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return [.. Variables.Where(v => string.IsNullOrEmpty(environment(v)))];
    }

    /// <summary>
    /// The headers with their variables read from <paramref name="environment"/> now. The values
    /// go straight onto a request: never keep, log or show them.
    /// </summary>
    /// <exception cref="ProfileVariableException">A variable is unset or empty (the message names it, never a value).</exception>
    public IReadOnlyList<KeyValuePair<string, string>> ResolveHeaders(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var resolved = new List<KeyValuePair<string, string>>(Headers.Count);
        foreach (var (header, template) in Headers)
        {
            var value = VariablePattern().Replace(template, match =>
            {
                var name = match.Groups["name"].Value;
                var found = environment(name);
                return string.IsNullOrEmpty(found) ? throw new ProfileVariableException(Name, name, header) : found;
            });
            resolved.Add(new(header, value));
        }

        return resolved;
    }

    /// <summary>
    /// <paramref name="text"/> with every header value this profile sends blanked out: the values of
    /// its variables, and literal credentials (a whole value and the token after "Bearer ").
    /// </summary>
    public string Redact(string text, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(environment);
        var secrets = Variables.Select(environment)
            .Concat(Headers.Values.Where(t => !VariablesIn(t).Any()).SelectMany(t => new[] { t.Trim(), t.Trim().Split(' ', 2).Last() }))
            .Where(s => s is { Length: >= MinSecretLength })
            .OrderByDescending(s => s!.Length);
        foreach (var secret in secrets)
        {
            text = text.Replace(secret!, Redaction, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Prints header names only: a profile may hold a literal credential, and records print every member.</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Name = {Name}, Endpoint = {Endpoint}, Model = {Model}, Headers = [{string.Join(", ", Headers.Keys)}], Timeout = {Timeout}, Retries = {Retries}");
        return true;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    internal static partial Regex VariablePattern();
}

/// <summary>A header of a profile names an environment variable that is not set. Names the variable, never a value.</summary>
public sealed class ProfileVariableException(string profile, string variable, string header)
    : Exception($"agent profile '{profile}': environment variable {variable} (used by header {header}) is not set")
{
    public string Profile { get; } = profile;

    public string Variable { get; } = variable;

    public string Header { get; } = header;
}
