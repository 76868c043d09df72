namespace ChaosLab.Core.Suites.Tools;

/// <summary>
/// A page or document in the workspace. <see cref="Reliability"/> and <see cref="Published"/>
/// are the metadata an agent uses to decide which of two disagreeing sources to trust.
/// </summary>
/// <param name="Kind">web_page, filing, statistics_release, analyst_note, press_release, forum_post, local_press, report (authored).</param>
/// <param name="Reliability">high, medium or low.</param>
public sealed record Document(string Id, string Kind, string Title, string Source, DateOnly Published, string Reliability, string Url, string Body)
{
    public bool IsWebPage => Kind is "web_page" or "forum_post";
}
