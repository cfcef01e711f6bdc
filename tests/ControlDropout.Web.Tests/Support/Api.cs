using System.Net.Http.Json;
using System.Text.Json;
using ControlDropout.Web.Domain;
using ControlDropout.Web.Features.Plans;

namespace ControlDropout.Web.Tests.Support;

/// <summary>Small helpers for calling the plan API as a person would.</summary>
public static class Api
{
    public static PlanContent WeeklyHomePlan(int visits = 1) => new(
        "生活适应与康复训练", "认识日常用品，练习抓握", ["能独立抓握勺子"], TeachingMode.Home, visits, 0, 2,
        [new WindowDto(2, "09:00", "12:00"), new WindowDto(4, "14:00", "17:00")], ["special-education"], 1, null);

    public static async Task<(HttpResponseMessage Response, PlanDto? Plan)> CreatePlanAsync(this HttpClient client, StudentId student, TermId term, PlanContent? content = null)
    {
        var response = await client.PostAsJsonAsync("/api/plans", new CreatePlanRequest(student.Value, term.Value, content ?? WeeklyHomePlan()), ServiceFactory.Json).ConfigureAwait(false);
        return (response, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<PlanDto>(ServiceFactory.Json).ConfigureAwait(false) : null);
    }

    public static Task<HttpResponseMessage> ActAsync(this HttpClient client, PlanDto plan, string action, object? body = null, string? etag = null) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/plans/{plan.Id}/{action}")
        {
            Content = JsonContent.Create(body ?? new { }, options: ServiceFactory.Json),
            Headers = { { "If-Match", etag ?? plan.ETag } },
        });

    public static async Task<PlanDto> GetPlanAsync(this HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<PlanDto>($"/api/plans/{id}", ServiceFactory.Json).ConfigureAwait(false))!;

    public static async Task<PlanDto> ReadPlanAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<PlanDto>(ServiceFactory.Json).ConfigureAwait(false))!;

    /// <summary>Starts a timetable run for the term, waits for it to succeed and returns its draft timetable's id.</summary>
    public static async Task<Guid> RunAsync(this HttpClient approver, TermId term)
    {
        var started = await approver.PostAsJsonAsync("/api/timetables/runs", new { termId = term.Value }).ConfigureAwait(false);
        started.EnsureSuccessStatusCode();
        JsonElement run;
        var deadline = DateTime.UtcNow.AddMinutes(2);
        do
        {
            await Task.Delay(100).ConfigureAwait(false);
            run = await approver.GetFromJsonAsync<JsonElement>(started.Headers.Location!.ToString()).ConfigureAwait(false);
        }
        while (run.GetProperty("status").GetString() is "Queued" or "Running" && DateTime.UtcNow < deadline);
        if (run.GetProperty("status").GetString() != "Succeeded")
        {
            throw new InvalidOperationException($"the run did not succeed: {run}");
        }
        return run.GetProperty("timetableId").GetGuid();
    }

    /// <summary>Starts a timetable run for the term, waits for it, publishes the draft (from the next teaching day) and returns its id.</summary>
    public static async Task<Guid> RunAndPublishAsync(this HttpClient approver, TermId term)
    {
        var timetable = await approver.RunAsync(term).ConfigureAwait(false);
        (await approver.PostAsync(new Uri($"/api/timetables/{timetable}/publish", UriKind.Relative), null).ConfigureAwait(false)).EnsureSuccessStatusCode();
        return timetable;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
}
