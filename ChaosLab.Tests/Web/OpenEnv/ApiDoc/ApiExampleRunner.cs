using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv.ApiDoc;

/// <summary>
/// Runs a section's examples in order against the real server, sharing one set of
/// <see cref="Placeholders"/>, and reports how each reply differs from the documented one.
/// </summary>
/// <param name="given">Placeholders bound before the first example (see <see cref="Placeholders"/>).</param>
public sealed class ApiExampleRunner(ChaosLabAppFactory app, IReadOnlyDictionary<string, string>? given = null)
{
    /// <returns>The differences, each prefixed with the line of its example; empty when all replies fit.</returns>
    public async Task<IReadOnlyList<string>> RunAsync(ApiDocSection section)
    {
        var placeholders = new Placeholders(given);
        foreach (var example in section.Examples)
        {
            var differences = example switch
            {
                HttpExample http => await RunAsync(http, placeholders),
                SocketExample socket => await RunAsync(socket, placeholders),
                _ => throw new NotSupportedException(example.GetType().Name),
            };

            // Later examples build on this one's replies, so the first broken one is the story.
            if (differences.Count > 0)
            {
                return [.. differences.Select(d => $"line {example.Line}: {d}")];
            }
        }

        return [];
    }

    private async Task<IReadOnlyList<string>> RunAsync(HttpExample example, Placeholders placeholders)
    {
        var request = HttpMessageText.Parse(placeholders.Fill(example.Request));
        var reply = HttpMessageText.Parse(example.Reply);
        using var client = app.CreateHttpClient();
        using var message = ToRequest(request);
        using var response = await client.SendAsync(message);

        var differences = new List<string>();
        var status = reply.StartLine.Split(' ')[1];
        if (((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) != status)
        {
            differences.Add($"{request.StartLine}: documented status {status}, got {(int)response.StatusCode}");
        }

        foreach (var (name, documented) in reply.Headers)
        {
            var actual = response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(", ", values)
                : null;
            var matched = actual is not null && (placeholders.Match(documented, actual) ?? actual.StartsWith(documented, StringComparison.OrdinalIgnoreCase));
            if (!matched)
            {
                differences.Add($"{request.StartLine}: documented header '{name}: {documented}', got '{actual ?? "(none)"}'");
            }
        }

        if (reply.Body.Length > 0)
        {
            differences.AddRange(CompareJson(reply.Body, await response.Content.ReadAsStringAsync(), placeholders)
                .Select(d => $"{request.StartLine}: {d}"));
        }

        return differences;
    }

    private async Task<IReadOnlyList<string>> RunAsync(SocketExample example, Placeholders placeholders)
    {
        await using var client = await WireClient.ConnectAsync(app.WebSocketAddress(example.Path));
        foreach (var (frame, index) in example.Frames.Select((f, i) => (f, i + 1)))
        {
            if (frame.Sent)
            {
                await client.SendRawAsync(placeholders.Fill(frame.Text));
                continue;
            }

            var received = await client.ReceiveRawAsync();
            IReadOnlyList<string> differences = (frame.Text, received) switch
            {
                (SocketFrame.CloseMarker, null) when client.CloseStatus == WebSocketCloseStatus.NormalClosure => [],
                (SocketFrame.CloseMarker, _) => [$"documented a close with 1000, got {received ?? "a close with " + client.CloseStatus}"],
                (_, null) => [$"the server closed the socket ({client.CloseStatus}) instead of replying"],
                _ => CompareJson(frame.Text, received, placeholders),
            };
            if (differences.Count > 0)
            {
                return [.. differences.Select(d => $"frame {index}: {d}")];
            }
        }

        return [];
    }

    private static IReadOnlyList<string> CompareJson(string documented, string actual, Placeholders placeholders)
    {
        JsonNode? actualJson;
        try
        {
            actualJson = JsonNode.Parse(actual);
        }
        catch (System.Text.Json.JsonException)
        {
            return [$"the reply is not JSON: {actual}"];
        }

        return JsonShape.Compare(JsonNode.Parse(documented), actualJson, placeholders);
    }

    private static HttpRequestMessage ToRequest(HttpMessageText request)
    {
        var parts = request.StartLine.Split(' ');
        var message = new HttpRequestMessage(new HttpMethod(parts[0]), new Uri(parts[1], UriKind.Relative));
        if (request.Body.Length > 0)
        {
            // The document's convention: a body is JSON unless the example names its type.
            message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content!.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }
}
