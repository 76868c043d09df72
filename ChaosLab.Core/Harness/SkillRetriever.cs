namespace ChaosLab.Core.Harness;

/// <summary>
/// h5's retrieval: the skills that apply to the task (its suite or general, its family, its task)
/// ranked by BM25 over title, tags and body (title and tags counted twice: they say what a skill
/// is for) against a query of the task's public description and the trajectory so far.
/// </summary>
public sealed class SkillRetriever
{
    private readonly IReadOnlyList<Skill> _candidates;
    private readonly Bm25Index _index;

    public SkillRetriever(SkillLibrary library, TaskBrief task)
    {
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(task);
        _candidates = [.. library.Skills.Where(s => s.AppliesTo(task))];
        _index = new Bm25Index(_candidates.Select(s => $"{s.Title} {s.Title} {string.Join(' ', s.Tags)} {string.Join(' ', s.Tags)} {s.Body}"));
    }

    /// <summary>The skills the filters let through, whatever the query.</summary>
    public IReadOnlyList<Skill> Candidates => _candidates;

    /// <summary>Up to <paramref name="k"/> skills matching <paramref name="query"/> at all, best first (ties in library order), leaving out <paramref name="exclude"/>.</summary>
    public IReadOnlyList<Skill> Retrieve(string query, int k, IReadOnlySet<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        var scores = _index.Score(query);
        return [.. _candidates.Select((skill, i) => (Skill: skill, Score: scores[i], Index: i))
            .Where(s => s.Score > 0 && exclude?.Contains(s.Skill.Id) != true)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Index)
            .Take(Math.Max(0, k))
            .Select(s => s.Skill)];
    }
}
