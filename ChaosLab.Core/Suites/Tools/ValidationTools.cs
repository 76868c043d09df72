using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChaosLab.Core.Environment;

namespace ChaosLab.Core.Suites.Tools;

/// <summary>The five validation tools. They compute and show evidence; none returns a verdict about the answer.</summary>
internal static class ValidationTools
{
    public static ValueTask<ToolOutput> ValidateUrl(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var url = args.Str("url").Trim();
        var valid = Uri.TryCreate(url, UriKind.Absolute, out var uri);
        var body = new JsonObject { ["url"] = url, ["valid_syntax"] = valid };
        if (valid)
        {
            body["scheme"] = uri!.Scheme;
            body["host"] = uri.Host;
            var reachable = uri.Scheme switch
            {
                "https" or "http" => uri.Host.Equals("chaos.local", StringComparison.OrdinalIgnoreCase)
                    && (uri.AbsolutePath.TrimEnd('/').Length == 0 || ctx.Workspace.Corpus(Snapshot.Current).FindByUrl(DocumentCorpus.Host + uri.AbsolutePath.TrimEnd('/')) is not null),
                "internal" => uri.Host is "entity" or "financials" or "tickets",
                _ => false,
            };
            body["reachable"] = reachable;
        }

        return RetrievalTools.Done(ToolOutput.Ok(body));
    }

    public static ValueTask<ToolOutput> ValidateData(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var data = args["data"];
        if (data is JsonValue v && v.TryGetValue<string>(out var text) && (text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('[')))
        {
            // Text that is not strict JSON is validated as the string it is.
            if (StrictJson.TryParseNode(text, out var parsed, out _))
            {
                data = parsed;
            }
        }

        var errors = new List<string>();
        SchemaCheck(data, (JsonObject)args["schema"]!, "$", errors, 0);
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject { ["valid"] = errors.Count == 0, ["errors"] = new JsonArray([.. errors.Take(20).Select(e => (JsonNode)e)]) }));
    }

    /// <summary>A JSON Schema subset: type, enum, required, properties, additionalProperties:false, items, minimum, maximum, minLength, maxLength.</summary>
    private static void SchemaCheck(JsonNode? data, JsonObject schema, string path, List<string> errors, int depth)
    {
        if (depth > 16)
        {
            return;
        }

        var kind = data?.GetValueKind() ?? JsonValueKind.Null;
        if (schema["type"] is JsonNode typeNode)
        {
            var types = typeNode is JsonArray arr ? arr.Select(t => t?.ToString() ?? "").ToList() : [typeNode.ToString()];
            var actual = kind switch
            {
                JsonValueKind.Object => "object",
                JsonValueKind.Array => "array",
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                _ => "null",
            };
            var isInteger = kind == JsonValueKind.Number && JsonNumber.Read(data!) % 1 == 0;
            if (!types.Contains(actual) && !(isInteger && types.Contains("integer")))
            {
                errors.Add($"{path}: expected {string.Join(" or ", types)}, got {actual}");
                return;
            }
        }

        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, data)))
        {
            errors.Add($"{path}: not one of the allowed values");
        }

        if (kind == JsonValueKind.Number)
        {
            var d = JsonNumber.Read(data!);
            if (schema["minimum"] is JsonValue min && d < JsonNumber.Read(min))
            {
                errors.Add($"{path}: below minimum {min}");
            }

            if (schema["maximum"] is JsonValue max && d > JsonNumber.Read(max))
            {
                errors.Add($"{path}: above maximum {max}");
            }
        }

        if (kind == JsonValueKind.String)
        {
            var s = data!.GetValue<string>();
            if (schema["minLength"] is JsonValue minL && s.Length < JsonNumber.Read(minL))
            {
                errors.Add($"{path}: shorter than {minL}");
            }

            if (schema["maxLength"] is JsonValue maxL && s.Length > JsonNumber.Read(maxL))
            {
                errors.Add($"{path}: longer than {maxL}");
            }
        }

        if (data is JsonObject obj)
        {
            if (schema["required"] is JsonArray required)
            {
                foreach (var name in required.Select(r => r?.ToString() ?? ""))
                {
                    if (!obj.ContainsKey(name))
                    {
                        errors.Add($"{path}.{name}: required");
                    }
                }
            }

            var properties = schema["properties"] as JsonObject;
            foreach (var (name, value) in obj)
            {
                if (properties?[name] is JsonObject propertySchema)
                {
                    SchemaCheck(value, propertySchema, path + "." + name, errors, depth + 1);
                }
                else if (schema["additionalProperties"] is JsonValue ap && ap.GetValueKind() == JsonValueKind.False)
                {
                    errors.Add($"{path}.{name}: not allowed");
                }
            }
        }

        if (data is JsonArray array && schema["items"] is JsonObject itemSchema)
        {
            for (var i = 0; i < array.Count; i++)
            {
                SchemaCheck(array[i], itemSchema, $"{path}[{i.ToString(CultureInfo.InvariantCulture)}]", errors, depth + 1);
            }
        }
    }

    public static ValueTask<ToolOutput> CheckConsistency(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var a = Figures(args.Str("source1"));
        var b = Figures(args.Str("source2"));
        var agreeing = new JsonArray();
        var differing = new JsonArray();
        foreach (var x in a)
        {
            if (b.Count == 0)
            {
                break;
            }

            var closest = b.MinBy(y => Math.Abs(Relative(x.Scaled, y.Scaled)));
            var rel = Relative(x.Scaled, closest.Scaled);
            var pair = new JsonObject { ["source1"] = x.Text, ["source2"] = closest.Text, ["relative_difference"] = Math.Round(rel, 6) };
            (rel <= 0.02 ? agreeing : differing).Add(pair);
        }

        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject
        {
            ["numbers_in_source1"] = a.Count, ["numbers_in_source2"] = b.Count, ["agreeing_within_2_percent"] = agreeing, ["differing"] = differing,
            ["consistent"] = a.Count > 0 && b.Count > 0 && differing.Count == 0,
        }));
    }

    /// <summary>Figures a text states; a number beyond a double's range is no figure anyone reports, so it is left out.</summary>
    private static List<(double Raw, double Scaled, string Text)> Figures(string text) => [.. NumberScanner.Scan(text).Where(n => double.IsFinite(n.Scaled))];

    private static double Relative(double x, double y)
    {
        var scale = Math.Max(Math.Abs(x), Math.Abs(y));
        return scale == 0 ? 0 : Math.Abs(x - y) / scale;
    }

    public const int MaxQuotedSentences = 5;

    /// <summary>
    /// Sets a claim against evidence the agent supplies: for each figure in the claim, the
    /// evidence's figures that agree within 2% and the closest one; the sentences stating them;
    /// and the claim's names the evidence never mentions. It reads nothing from the world (a
    /// validation tool gets no data faults, so reading the world here would be a path to facts
    /// around the fault layer), and it shows evidence, never a verdict.
    /// </summary>
    public static ValueTask<ToolOutput> FactCheck(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var claim = args.Str("claim");
        var evidence = args.Str("evidence");
        var stated = Figures(evidence);
        var figures = new JsonArray();
        var quoted = new List<string>();
        foreach (var figure in Figures(claim))
        {
            var agreeing = stated.Where(s => Relative(figure.Scaled, s.Scaled) <= 0.02 || Relative(figure.Raw, s.Raw) <= 0.02).ToList();
            var entry = new JsonObject { ["figure"] = figure.Text, ["agreeing_in_evidence"] = new JsonArray([.. agreeing.Select(s => (JsonNode)s.Text).Distinct()]) };
            if (stated.Count > 0)
            {
                var closest = stated.MinBy(s => Relative(figure.Scaled, s.Scaled));
                entry["closest_in_evidence"] = closest.Text;
                entry["relative_difference"] = Math.Round(Relative(figure.Scaled, closest.Scaled), 6);
            }

            figures.Add(entry);
            quoted.AddRange(Sentences(evidence).Where(sentence => agreeing.Any(s => sentence.Contains(s.Text, StringComparison.Ordinal))));
        }

        var missing = Names(claim).Where(name => !evidence.Contains(name, StringComparison.OrdinalIgnoreCase));
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject
        {
            ["claim"] = claim, ["claim_figures"] = figures, ["figures_in_evidence"] = stated.Count,
            ["sentences_stating_agreeing_figures"] = new JsonArray([.. quoted.Distinct().Take(MaxQuotedSentences).Select(q => (JsonNode)q)]),
            ["claim_names_missing_from_evidence"] = new JsonArray([.. missing.Select(n => (JsonNode)n)]),
        }));
    }

    /// <summary>Sentences end at ". " (not at a bare '.', which would split "1.25"), a line break or "; ".</summary>
    private static IEnumerable<string> Sentences(string text) =>
        text.Split([". ", "\n", "; "], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(s => s.Length <= 300 ? s : s[..300] + "...");

    /// <summary>Capitalised words of the claim (names of entities, sources, places), as written.</summary>
    private static IEnumerable<string> Names(string claim) =>
        claim.Split([' ', ',', ';', ':', '(', ')', '"', '\'', '?', '!'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.TrimEnd('.'))
            .Where(w => w.Length > 1 && char.IsUpper(w[0]))
            .Distinct(StringComparer.Ordinal);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Weak cryptographic algorithm", Justification = "Checksum comparison offered to agents, not security.")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Broken cryptographic algorithm", Justification = "Checksum comparison offered to agents, not security.")]
    public static ValueTask<ToolOutput> HashVerify(ToolContext ctx, JsonObject args, CancellationToken ct)
    {
        var algorithm = args.OptStr("algorithm") ?? "sha256";
        var bytes = Encoding.UTF8.GetBytes(args.Str("data"));
        var hash = algorithm switch
        {
            "sha1" => SHA1.HashData(bytes),
            "md5" => MD5.HashData(bytes),
            "sha512" => SHA512.HashData(bytes),
            _ => SHA256.HashData(bytes),
        };
        var computed = Convert.ToHexStringLower(hash);
        var expected = args.Str("expected_hash").Trim();
        return RetrievalTools.Done(ToolOutput.Ok(new JsonObject
        {
            ["algorithm"] = algorithm, ["computed_hash"] = computed, ["expected_hash"] = expected,
            ["match"] = string.Equals(computed, expected, StringComparison.OrdinalIgnoreCase),
        }));
    }
}
