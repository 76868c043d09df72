using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace ChaosLab.Core.Environment;

/// <summary>
/// The one JSON parser for untrusted input: request bodies, WebSocket frames, and JSON an agent
/// writes inside its text. System.Text.Json accepts three things lazily that only blow up later,
/// far from the request (as a 500, or a crashed grader that ends an episode with no grade):
/// invalid UTF-8 inside strings and lone surrogate escapes (both throw when a string is read),
/// and duplicate property names (which throw when a <see cref="JsonObject"/> is enumerated).
/// This parser refuses all three up front, so everything downstream can read freely.
/// </summary>
public static class StrictJson
{
    /// <summary>Nesting deeper than this is refused; the JSON a client legitimately sends is shallow.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = MaxDepth };

    /// <summary>Parses UTF-8 JSON (a leading byte order mark is allowed, as Python's json does).</summary>
    /// <param name="error">Why the input was refused, for the client.</param>
    public static bool TryParse(ReadOnlyMemory<byte> utf8, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        document = null;
        if (utf8.Span.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        // JsonDocument checks the syntax but not the bytes inside strings.
        if (!Utf8.IsValid(utf8.Span))
        {
            error = "The input is not valid UTF-8.";
            return false;
        }

        if (FindLoneSurrogate(utf8.Span) is { } offset)
        {
            error = $"The string at byte {offset} contains an unpaired surrogate escape (\\ud800-\\udfff without its pair).";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Parses JSON held in a string, e.g. an object an agent wrote into its answer.</summary>
    public static bool TryParseNode(string text, out JsonNode? node, [NotNullWhen(false)] out string? error)
    {
        node = null;
        var utf8 = Encoding.UTF8.GetBytes(text);
        if (!TryParse(utf8, out var document, out error))
        {
            return false;
        }

        using (document)
        {
            // Validated above, so the lazily materialized node cannot fail later.
            node = JsonNode.Parse(utf8, documentOptions: DocumentOptions);
            return true;
        }
    }

    /// <returns>The byte offset of the first string or property name whose escapes decode to an
    /// unpaired UTF-16 surrogate, or null. Syntax errors are left for the real parse to report.</returns>
    private static long? FindLoneSurrogate(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    && reader.ValueIsEscaped
                    && !HasPairedSurrogates(reader.ValueSpan))
                {
                    return reader.TokenStartIndex;
                }
            }
        }
        catch (JsonException)
        {
            // Malformed: JsonDocument.Parse reports it with a better message.
        }

        return null;
    }

    /// <summary>Checks the <c>\uXXXX</c> escapes of a raw (still escaped) string value.</summary>
    private static bool HasPairedSurrogates(ReadOnlySpan<byte> raw)
    {
        var expectLow = false;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                if (expectLow)
                {
                    return false;
                }

                continue;
            }

            // The reader has validated the escapes, so \u is always followed by four hex digits.
            i++;
            if (raw[i] != (byte)'u')
            {
                if (expectLow)
                {
                    return false;
                }

                continue;
            }

            var unit = int.Parse(raw.Slice(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            i += 4;
            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (isLow != expectLow)
            {
                return false;
            }

            expectLow = isHigh;
        }

        return !expectLow;
    }
}
