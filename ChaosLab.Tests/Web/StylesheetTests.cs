using ChaosLab.Tests.Infrastructure;

namespace ChaosLab.Tests.Web;

public sealed class StylesheetTests
{
    /// <summary>
    /// An unclosed block swallows every rule after it without any error (a merge once left the
    /// replay's styles inside a prefers-reduced-motion query).
    /// </summary>
    [Fact]
    public void AppCss_EveryBlock_ClosedAtTopLevelByTheEnd()
    {
        var css = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "ChaosLab.Web", "wwwroot", "css", "app.css"));
        var depth = 0;
        var inComment = false;
        for (var i = 0; i < css.Length; i++)
        {
            if (inComment)
            {
                inComment = !(css[i] == '*' && i + 1 < css.Length && css[i + 1] == '/');
                continue;
            }

            if (css[i] == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                inComment = true;
            }
            else if (css[i] == '{')
            {
                depth++;
            }
            else if (css[i] == '}')
            {
                depth--;
                Assert.True(depth >= 0, $"Unmatched '}}' at offset {i}.");
            }
        }

        Assert.Equal(0, depth);
    }
}
