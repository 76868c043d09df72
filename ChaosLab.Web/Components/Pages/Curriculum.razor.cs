using ChaosLab.Web.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

public sealed partial class Curriculum : ComponentBase
{
    [Inject]
    public required CurriculumViewModel Model { get; init; }

    [Parameter]
    public required string Name { get; set; }

    private IReadOnlyList<BreadcrumbItem> Breadcrumbs => [new("Curricula", "curricula"), new(Name, href: null, disabled: true)];

    protected override Task OnParametersSetAsync() => Model.LoadAsync(Name);

    private Task RetryAsync() => Model.LoadAsync(Name);
}
