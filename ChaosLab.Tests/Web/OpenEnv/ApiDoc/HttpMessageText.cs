namespace ChaosLab.Tests.Web.OpenEnv.ApiDoc;

/// <summary>An HTTP message as the document writes it: a start line, header lines, a blank line, a body.</summary>
public sealed record HttpMessageText(string StartLine, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    public static HttpMessageText Parse(string text)
    {
        var lines = text.Split('\n');
        var blank = Array.IndexOf(lines, "");
        var headerEnd = blank < 0 ? lines.Length : blank;
        var headers = lines[1..headerEnd]
            .Select(line => line.Split(':', 2))
            .Select(parts => parts.Length == 2 ? (parts[0].Trim(), parts[1].Trim()) : throw new FormatException($"not a header line: '{parts[0]}'"))
            .ToList();
        var body = blank < 0 ? "" : string.Join('\n', lines[(blank + 1)..]).Trim();
        return new HttpMessageText(lines[0].Trim(), headers, body);
    }
}
