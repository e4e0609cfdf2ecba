using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace FunctionsHub.EndToEnd.Tests;

/// <summary>
/// What the hub's telemetry would export: every ended activity of the sources the hub registers, and
/// its metrics when flushed, each rendered as text (name, tags, status) for the privacy searches.
/// </summary>
public sealed class CapturedTelemetry : BaseProcessor<Activity>
{
    private readonly ConcurrentQueue<Activity> _activities = new();

    /// <summary>Filled by the in-memory metric exporter on each flush.</summary>
    public List<Metric> Metrics { get; } = [];

    public IReadOnlyCollection<Activity> Activities => _activities;

    public override void OnEnd(Activity data) => _activities.Enqueue(data);

    public static string Render(Activity activity) =>
        $"{activity.Source.Name} {activity.DisplayName} {activity.Status} {activity.StatusDescription} " +
        string.Join(" ", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " +
        string.Join(" ", activity.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => $"{t.Key}={t.Value}"))));

    /// <summary>Each metric point as <c>name tag=value ... = sum</c>, after a flush of <paramref name="provider"/>.</summary>
    public IReadOnlyList<string> MetricPoints(MeterProvider provider)
    {
        lock (Metrics)
        {
            Metrics.Clear();
            provider.ForceFlush();
            var points = new List<string>();
            foreach (var metric in Metrics)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new List<string>();
                    foreach (var tag in point.Tags)
                    {
                        tags.Add($"{tag.Key}={tag.Value}");
                    }

                    points.Add($"{metric.Name} {string.Join(" ", tags)} = {point.GetSumLong()}");
                }
            }

            return points;
        }
    }
}
