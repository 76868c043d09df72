using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ChaosLab.Core.Agents.Llm;

/// <summary>
/// The agent profiles of a YAML file in the seed's shape (<c>configs/agents/api_agents.yaml</c>):
/// <code>
/// local-qwen:
///   parameters:
///     url: "http://localhost:30001/v1/chat/completions"   # or the base, .../v1
///     headers:
///       Authorization: "Bearer ${QWEN_API_KEY}"          # read from the environment per request
///     body:
///       model: "Qwen/Qwen3-4B-Instruct"
///       max_tokens: 4096
///       temperature: 0.0                                  # other keys pass through (top_p, seed, ...)
///     timeout_seconds: 60
///     retries: 3
/// </code>
/// Mistakes are reported with the profile and the field; keys ChaosLab does not use are reported
/// as <see cref="Warnings"/>, as is a literal credential in a header (never with its value).
/// </summary>
public sealed class AgentProfiles
{
    /// <summary>Body keys the agent writes itself; a profile may not set them.</summary>
    public static IReadOnlyList<string> ReservedBodyKeys { get; } = ["messages", "tools", "tool_choice", "stream", "n", "functions", "function_call"];

    private static readonly string[] ParameterKeys = ["url", "headers", "body", "timeout_seconds", "retries"];

    /// <summary>Keys of the seed's HTTP agent that mean nothing to an OpenAI-compatible client: warned about, not refused.</summary>
    private static readonly string[] SeedOnlyParameterKeys = ["name", "prompter", "return_format", "proxies"];

    /// <summary>Headers that carry credentials, for the literal-secret warning.</summary>
    private static readonly string[] CredentialHeaders = ["authorization", "api-key", "x-api-key", "proxy-authorization", "ocp-apim-subscription-key"];

    private readonly Dictionary<string, AgentProfile> _byName;

    private AgentProfiles(List<AgentProfile> profiles, List<string> warnings)
    {
        All = profiles;
        Warnings = warnings;
        _byName = profiles.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<AgentProfile> All { get; }

    /// <summary>What was accepted but looks wrong (ignored keys, a literal credential).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <exception cref="AgentProfileException">No profile has that name (the message lists the known ones).</exception>
    public AgentProfile Get(string name) =>
        _byName.TryGetValue(name, out var profile)
            ? profile
            : throw new AgentProfileException($"no agent profile named '{name}'; known: {(All.Count == 0 ? "(none)" : string.Join(", ", All.Select(p => p.Name)))}");

    /// <exception cref="AgentProfileException">The file is missing, not YAML, or a profile in it is wrong.</exception>
    public static AgentProfiles Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new AgentProfileException($"agent profiles file '{path}' not found");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <param name="source">Where the text came from, for messages.</param>
    /// <exception cref="AgentProfileException">The text is not YAML or a profile in it is wrong.</exception>
    public static AgentProfiles Parse(string text, string source = "agent profiles")
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new AgentProfileException($"{source}: not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new AgentProfiles([], []);
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new AgentProfileException($"{source}: expected a map of profile names to profiles");
        }

        var profiles = new List<AgentProfile>();
        var warnings = new List<string>();
        foreach (var (key, value) in root.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? "";
            if (name.Length == 0)
            {
                throw new AgentProfileException($"{source}: a profile has an empty name");
            }

            profiles.Add(ReadProfile(name, value, warnings));
        }

        return new AgentProfiles(profiles, warnings);
    }

    private static AgentProfile ReadProfile(string name, YamlNode node, List<string> warnings)
    {
        AgentProfileException Error(string field, string message) => new($"agent profile '{name}': {field}: {message}");

        if (node is not YamlMappingNode profile || !profile.Children.TryGetValue(new YamlScalarNode("parameters"), out var parametersNode))
        {
            throw Error("parameters", "required: a map with url, headers, body, timeout_seconds and retries");
        }

        foreach (var key in profile.Children.Keys.Select(Text).Where(k => k != "parameters"))
        {
            warnings.Add($"agent profile '{name}': '{key}' is not used by ChaosLab (ignored)");
        }

        if (parametersNode is not YamlMappingNode parameters)
        {
            throw Error("parameters", "must be a map");
        }

        foreach (var key in parameters.Children.Keys.Select(Text).Where(k => !ParameterKeys.Contains(k)))
        {
            if (!SeedOnlyParameterKeys.Contains(key))
            {
                throw Error($"parameters.{key}", $"unknown field; known: {string.Join(", ", ParameterKeys)}");
            }

            warnings.Add($"agent profile '{name}': parameters.{key} is not used by ChaosLab (ignored)");
        }

        var endpoint = ReadEndpoint(Scalar(parameters, "url") ?? throw Error("parameters.url", "required: the endpoint, e.g. http://localhost:8000/v1"), Error);
        var headers = ReadHeaders(name, parameters, warnings, Error);
        var body = Child(parameters, "body") switch
        {
            null => throw Error("parameters.body", "required: a map with at least model"),
            YamlMappingNode map => ToJsonObject(map),
            _ => throw Error("parameters.body", "must be a map"),
        };
        if (ReservedBodyKeys.FirstOrDefault(body.ContainsKey) is { } reserved)
        {
            throw Error($"parameters.body.{reserved}", "is written by the agent itself; remove it from the profile");
        }

        var model = body["model"] is JsonValue modelValue && modelValue.TryGetValue<string>(out var m) && m is { } text && text.Trim().Length > 0
            ? text
            : throw Error("parameters.body.model", "required: the model name the endpoint serves");
        NonNegativeNumber(body, "max_tokens", Error);
        NonNegativeNumber(body, "temperature", Error);

        var timeout = AgentProfile.DefaultTimeout;
        if (Scalar(parameters, "timeout_seconds") is { } timeoutText)
        {
            timeout = double.TryParse(timeoutText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= 3600
                ? TimeSpan.FromSeconds(seconds)
                : throw Error("parameters.timeout_seconds", $"must be a number of seconds above 0 and at most 3600, got '{timeoutText}'");
        }

        var retries = AgentProfile.DefaultRetries;
        if (Scalar(parameters, "retries") is { } retriesText)
        {
            retries = int.TryParse(retriesText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 10
                ? r
                : throw Error("parameters.retries", $"must be a whole number from 0 to 10, got '{retriesText}'");
        }

        return new AgentProfile(name, endpoint, headers, model, body, timeout, retries);
    }

    private static Uri ReadEndpoint(string url, Func<string, string, AgentProfileException> error)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            throw error("parameters.url", $"must be an absolute http(s) URL, got '{url}'");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw error("parameters.url", "must not have a query or fragment");
        }

        // The seed writes the full chat-completions URL; the client wants the base it appends that to.
        const string Suffix = "/chat/completions";
        var path = uri.AbsolutePath.TrimEnd('/');
        if (path.EndsWith(Suffix, StringComparison.Ordinal))
        {
            path = path[..^Suffix.Length];
        }

        return new UriBuilder(uri) { Path = path + "/" }.Uri;
    }

    private static Dictionary<string, string> ReadHeaders(string name, YamlMappingNode parameters, List<string> warnings, Func<string, string, AgentProfileException> error)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (Child(parameters, "headers"))
        {
            case null:
                return headers;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    var header = Text(key);
                    if (header.Length == 0 || header.Any(c => c <= ' ' || c == ':' || c > '~'))
                    {
                        throw error("parameters.headers", $"'{header}' is not a valid header name");
                    }

                    if (value is not YamlScalarNode { Value: { } template })
                    {
                        throw error($"parameters.headers.{header}", "must be a text value");
                    }

                    if (!headers.TryAdd(header, template))
                    {
                        throw error($"parameters.headers.{header}", "given twice");
                    }

                    if (CredentialHeaders.Contains(header.ToLowerInvariant()) && !AgentProfile.VariablesIn(template).Any() && !IsEmptyBearer(template))
                    {
                        warnings.Add($"agent profile '{name}': header {header} holds a literal credential; prefer a variable, e.g. \"Bearer ${{OPENAI_API_KEY}}\", so the key stays out of files");
                    }
                }

                return headers;
            default:
                throw error("parameters.headers", "must be a map of header names to values");
        }
    }

    private static bool IsEmptyBearer(string template) => template.Trim().Length == 0 || template.Trim().Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    private static void NonNegativeNumber(JsonObject body, string key, Func<string, string, AgentProfileException> error)
    {
        if (body[key] is not { } node)
        {
            return;
        }

        if (node.GetValueKind() != System.Text.Json.JsonValueKind.Number || double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture) < 0)
        {
            throw error($"parameters.body.{key}", $"must be a number of at least 0, got {node.ToJsonString()}");
        }
    }

    private static YamlNode? Child(YamlMappingNode map, string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode map, string key) => Child(map, key) is YamlScalarNode { Value: { Length: > 0 } value } ? value : null;

    private static string Text(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : node.ToString();

    private static JsonObject ToJsonObject(YamlMappingNode map) => new(map.Children.Select(c => KeyValuePair.Create(Text(c.Key), ToJson(c.Value))));

    /// <summary>YAML as JSON: quoted scalars stay text, plain ones are read as YAML 1.2 core types (null, booleans, numbers).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToJsonObject(map),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar when scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded => JsonValue.Create(scalar.Value ?? ""),
        YamlScalarNode { Value: null or "" or "~" or "null" or "Null" or "NULL" } => null,
        YamlScalarNode { Value: "true" or "True" or "TRUE" } => JsonValue.Create(true),
        YamlScalarNode { Value: "false" or "False" or "FALSE" } => JsonValue.Create(false),
        YamlScalarNode { Value: { } text } when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        YamlScalarNode { Value: { } text } when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => JsonValue.Create(number),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}

/// <summary>A profile file or a profile in it is wrong; the message names the profile and the field.</summary>
public sealed class AgentProfileException : Exception
{
    public AgentProfileException(string message)
        : base(message)
    {
    }

    public AgentProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
