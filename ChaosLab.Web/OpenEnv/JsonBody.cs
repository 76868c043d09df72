using System.Text.Json;
using ChaosLab.Core.Environment;

namespace ChaosLab.Web.OpenEnv;

/// <summary>Reads a request body as strict JSON (<see cref="StrictJson"/>) with a size cap, turning every failure into a validation issue.</summary>
internal static class JsonBody
{
    /// <returns>The parsed document (null for an empty body), or the issue that prevented parsing.</returns>
    public static async Task<(JsonDocument? Document, ValidationIssue? Issue)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return (null, TooLarge(maxBytes));
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, null);
        }

        return StrictJson.TryParse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), out var document, out var error)
            ? (document, null)
            : (null, new ValidationIssue("json_invalid", ["body"], $"JSON decode error: {error}"));
    }

    private static ValidationIssue TooLarge(int maxBytes) =>
        new("too_large", ["body"], $"The body exceeds the limit of {maxBytes} bytes (ChaosLab:MaxMessageBytes).");
}
