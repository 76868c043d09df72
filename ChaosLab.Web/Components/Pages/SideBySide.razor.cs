using System.Globalization;
using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class SideBySide : ComponentBase
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject]
    public required EpisodePairViewModel Model { get; init; }

    [SupplyParameterFromQuery(Name = "left")]
    public string? LeftId { get; set; }

    [SupplyParameterFromQuery(Name = "right")]
    public string? RightId { get; set; }

    protected override Task OnParametersSetAsync() => Model.LoadAsync(LeftId, RightId);

    private static string ReplayHref(string id) => "episodes/" + Uri.EscapeDataString(id);
}
