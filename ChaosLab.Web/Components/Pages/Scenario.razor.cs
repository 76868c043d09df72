using System.Security.Claims;
using System.Text.Json.Nodes;
using ChaosLab.Core.Scenarios.Studio;
using ChaosLab.Web.Components.Studio;
using ChaosLab.Web.Hosting.Authoring;
using ChaosLab.Web.Model;
using ChaosLab.Web.Model.Studio;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace ChaosLab.Web.Components.Pages;

/// <summary>
/// One scenario in the studio: a draft's editor with save, publish and discard; a published or
/// built-in version read-only with edit or clone; its versions and the preview. Only authors see
/// the actions (and every action checks again: a hidden button is no permission).
/// </summary>
public sealed partial class Scenario : ComponentBase, IDisposable
{
    /// <summary>How long typing may pause before the edited draft is validated again.</summary>
    internal static readonly TimeSpan ValidationInterval = TimeSpan.FromMilliseconds(300);

    private RefreshThrottle _validation = null!;
    private ScenarioHistory? _history;
    private ClaimsPrincipal _user = new();
    private bool _canAuthor;
    private long _answerSeed = 1;

    [Inject]
    public required ScenarioPageViewModel Model { get; init; }

    [Inject]
    public required IAuthorizationService Authorization { get; init; }

    [Inject]
    public required AdminKey AdminKey { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required IDialogService Dialogs { get; init; }

    [Inject]
    public required TimeProvider Clock { get; init; }

    [CascadingParameter]
    public Task<AuthenticationState>? AuthenticationState { get; set; }

    [Parameter]
    public required string Id { get; set; }

    private string SignInHref => "sign-in?return_url=" + Uri.EscapeDataString(new Uri(Navigation.Uri).PathAndQuery);

    private string PlayHref => "playground?scenario=" + Uri.EscapeDataString(Id);

    protected override void OnInitialized() =>
        _validation = new RefreshThrottle(Clock, ValidationInterval, () => InvokeAsync(() =>
        {
            Model.Validate();
            StateHasChanged();
        }));

    protected override async Task OnParametersSetAsync()
    {
        _user = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        _canAuthor = (await Authorization.AuthorizeAsync(_user, StudioPolicies.Author)).Succeeded;
        await LoadAsync();
    }

    private Task LoadAsync() => Model.LoadAsync(Id);

    private void DocumentChanged(JsonObject document)
    {
        Model.Edit(document);
        _validation.Request();
    }

    private Task SaveAsync() => _canAuthor ? Model.SaveAsync(AuthorName) : Task.CompletedTask;

    private async Task PublishAsync()
    {
        if (_canAuthor && await Model.PublishAsync(AuthorName) && _history is not null)
        {
            await _history.LoadAsync();
        }
    }

    private async Task DiscardAsync()
    {
        if (!_canAuthor)
        {
            return;
        }

        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Discard the draft?",
            Model.Row?.PublishedVersion is { } published
                ? $"Your changes are lost; version {published} stays published."
                : "The draft is deleted: this scenario was never published, so nothing of it stays.",
            yesText: "Discard", cancelText: "Keep it");
        if (confirmed != true || !await Model.DiscardAsync())
        {
            return;
        }

        if (Model.Row is null)
        {
            Navigation.NavigateTo("scenarios");
        }
    }

    private Task EditAsync() => _canAuthor ? Model.EditPublishedAsync(AuthorName) : Task.CompletedTask;

    private async Task CloneAsync()
    {
        if (!_canAuthor)
        {
            return;
        }

        var parameters = new DialogParameters<CloneScenarioDialog>
        {
            { d => d.SourceId, Id },
            { d => d.Sources, await Model.AllAsync() },
        };
        var dialog = await Dialogs.ShowAsync<CloneScenarioDialog>($"Clone {Id}", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true });
        if (await dialog.Result is { Canceled: false, Data: string id })
        {
            Navigation.NavigateTo(Scenarios.ScenarioHref(id));
        }
    }

    private string AuthorName => StudioPolicies.AuthorName(_user);

    private static string VersionText(StudioScenarioRow row) => row switch
    {
        { Status: ScenarioStatus.Draft, PublishedVersion: { } published } => $"draft of version {row.Version} (version {published} is played)",
        { Status: ScenarioStatus.Draft } => $"draft of version {row.Version}, never published",
        _ => $"version {row.Version}",
    };

    public void Dispose() => _validation.Dispose();
}
