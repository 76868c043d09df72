using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web.OpenEnv.ApiDoc;

/// <summary>One heading of docs/api.md with the examples under it, which run in order.</summary>
public sealed record ApiDocSection(string Heading, IReadOnlyList<ApiExample> Examples);

/// <param name="Line">Where the example starts in the document, for failure messages.</param>
public abstract record ApiExample(int Line);

/// <summary>An <c>http</c> request block and the <c>http</c> reply block that follows it.</summary>
public sealed record HttpExample(int Line, string Request, string Reply) : ApiExample(Line);

/// <summary>A <c>ws</c> block: the socket's path and its frames in order.</summary>
public sealed record SocketExample(int Line, string Path, IReadOnlyList<SocketFrame> Frames) : ApiExample(Line);

/// <summary>A frame the client sends (<c>&gt;</c>) or expects (<c>&lt;</c>).</summary>
public sealed record SocketFrame(bool Sent, string Text)
{
    /// <summary>Written as <c>&lt; close 1000</c>: the server closes the socket normally.</summary>
    public const string CloseMarker = "close 1000";
}

/// <summary>
/// Reads the executable examples out of docs/api.md: fenced <c>http</c> blocks (a request, then
/// a block starting with <c>HTTP/1.1</c> holding the reply) and fenced <c>ws</c> blocks (a
/// <c>WS /path</c> line, then <c>&gt;</c> and <c>&lt;</c> frames). Other blocks are prose.
/// </summary>
public static class ApiDocument
{
    private const string Fence = "```";

    public static string FilePath { get; } = Path.Combine(RepositoryRoot.Path, "docs", "api.md");

    public static IReadOnlyList<ApiDocSection> Load() => Parse(File.ReadAllText(FilePath));

    /// <exception cref="FormatException">An example is malformed (a request with no reply, a frame with no direction).</exception>
    public static IReadOnlyList<ApiDocSection> Parse(string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var sections = new List<ApiDocSection>();
        var heading = "(top)";
        var examples = new List<ApiExample>();
        (int Line, string Text)? request = null;

        void EndSection()
        {
            if (request is not null)
            {
                throw new FormatException($"line {request.Value.Line}: an http request with no reply block after it");
            }

            if (examples.Count > 0)
            {
                sections.Add(new ApiDocSection(heading, examples));
            }

            examples = [];
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith('#'))
            {
                EndSection();
                heading = line.TrimStart('#').Trim();
                continue;
            }

            if (!line.StartsWith(Fence, StringComparison.Ordinal))
            {
                continue;
            }

            var language = line[Fence.Length..].Trim();
            var start = i + 1;
            var end = Array.FindIndex(lines, start, l => l.StartsWith(Fence, StringComparison.Ordinal));
            if (end < 0)
            {
                throw new FormatException($"line {start}: a code block that never closes");
            }

            var body = string.Join('\n', lines[start..end]).Trim('\n');
            i = end;
            switch (language)
            {
                case "http" when body.StartsWith("HTTP/", StringComparison.Ordinal):
                    if (request is not { } pending)
                    {
                        throw new FormatException($"line {start}: a reply block with no request block before it");
                    }

                    examples.Add(new HttpExample(pending.Line, pending.Text, body));
                    request = null;
                    break;
                case "http":
                    if (request is not null)
                    {
                        throw new FormatException($"line {request.Value.Line}: an http request with no reply block after it");
                    }

                    request = (start, body);
                    break;
                case "ws":
                    examples.Add(ParseSocket(start, body));
                    break;
            }
        }

        EndSection();
        return sections;
    }

    private static SocketExample ParseSocket(int line, string body)
    {
        var rows = body.Split('\n');
        if (!rows[0].StartsWith("WS /", StringComparison.Ordinal))
        {
            throw new FormatException($"line {line}: a ws block starts with the socket to open, e.g. 'WS /ws'");
        }

        var frames = new List<SocketFrame>();
        foreach (var row in rows.Skip(1).Where(r => r.Length > 0))
        {
            if (row.StartsWith("> ", StringComparison.Ordinal) || row.StartsWith("< ", StringComparison.Ordinal))
            {
                frames.Add(new SocketFrame(row[0] == '>', row[2..]));
            }
            else if (frames.Count > 0)
            {
                // A frame may be spread over several lines for reading.
                frames[^1] = frames[^1] with { Text = frames[^1].Text + "\n" + row };
            }
            else
            {
                throw new FormatException($"line {line}: a ws frame starts with '> ' (sent) or '< ' (expected)");
            }
        }

        return new SocketExample(line, rows[0]["WS ".Length..].Trim(), frames);
    }
}
