using System.Globalization;
using ChaosLab.Core.Curriculum;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class Curricula : ComponentBase
{
    [Inject]
    public required CurriculaViewModel Model { get; init; }

    protected override Task OnInitializedAsync() => Model.LoadAsync();

    private Task RetryAsync() => Model.LoadAsync();

    internal static string WindowText(CurriculumState curriculum) => curriculum.WindowSuccessRate is { } rate
        ? $"{rate.ToString("0%", CultureInfo.InvariantCulture)} ({curriculum.WindowSuccesses} of {curriculum.WindowEpisodes})"
        : "no graded episode yet";
}
