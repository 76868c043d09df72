using ChaosLab.Core.Curriculum;

namespace ChaosLab.Web.Model;

/// <summary>The curricula page: every curriculum with its tier and rolling success.</summary>
public sealed class CurriculaViewModel(CurriculumStore store)
{
    public LoadState State { get; private set; } = LoadState.Loading;

    public string? Error { get; private set; }

    public IReadOnlyList<CurriculumState> Items { get; private set; } = [];

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        State = LoadState.Loading;
        try
        {
            Items = await store.ListAsync(cancellationToken);
            State = Items.Count == 0 ? LoadState.Empty : LoadState.Ready;
            Error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            State = LoadState.Failed;
            Error = $"The curricula could not be read: {ex.Message}";
        }
    }
}
