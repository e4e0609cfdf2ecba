using System.Globalization;
using System.Net;
using System.Text;
using FunctionsHub.Core.Configuration;

namespace FunctionsHub.Core.Campaigns;

/// <summary>A provider's entry on the sociale kaart, as a campaign shows it: from the configuration only.</summary>
public sealed record SocialeKaartEntry(string Id, string Name, string Kind, string? ForWhom, string? HowToRefer, int FirstContactHours, string? InfoUrl);

/// <summary>
/// <c>campaign.message</c> data for a partner: the campaign's text and the sociale-kaart entries of the
/// providers it names. Everything in it comes from the configuration document; nothing from a melding.
/// </summary>
/// <param name="Occurrence">The occurrence's local date (<c>yyyy-MM-dd</c>).</param>
public sealed record CampaignMessageData(string CampaignId, string Occurrence, string Subject, string Body, IReadOnlyList<SocialeKaartEntry> Providers);

/// <summary>A campaign's mail to one referrer, before the adapter adds sender and headers.</summary>
public sealed record CampaignMail(string Subject, string Text, string Html);

/// <summary>
/// What a campaign says, built from the configuration document alone (its subject and body, the
/// gemeente's name, the providers' sociale-kaart entries): nothing from a melding can reach it,
/// because nothing from a melding is passed in.
/// </summary>
public static class CampaignContent
{
    public static IReadOnlyList<SocialeKaartEntry> Entries(Campaign campaign, HubDocument document) =>
        campaign.Providers.Select(document.FindProvider).OfType<Provider>()
            .Select(p => new SocialeKaartEntry(p.Id, p.Name, p.Kind, p.ForWhom, p.HowToRefer, p.FirstContactHours, p.InfoUrl))
            .ToArray();

    public static CampaignMessageData Message(Campaign campaign, CampaignOccurrence occurrence, HubDocument document) =>
        new(campaign.Id, occurrence.Id, campaign.Subject, campaign.Body, Entries(campaign, document));

    /// <summary>The mail: a plain-text and an HTML part with the same content, and the unsubscribe link in both.</summary>
    public static CampaignMail Mail(Campaign campaign, HubDocument document, Uri unsubscribe)
    {
        var entries = Entries(campaign, document);
        var gemeente = document.Gemeente.Name;

        var text = new StringBuilder();
        text.Append(campaign.Body).Append("\n\n");
        foreach (var e in entries)
        {
            text.Append(e.Name).Append('\n');
            Line(text, "Voor wie", e.ForWhom);
            Line(text, "Zo verwijst u", e.HowToRefer);
            Line(text, "Eerste contact binnen", Hours(e.FirstContactHours));
            Line(text, "Meer informatie", e.InfoUrl);
            text.Append('\n');
        }

        text.Append("Met vriendelijke groet,\n").Append(gemeente).Append("\n\n")
            .Append("U krijgt deze e-mail omdat u een zorgmelding deed via de hub van ").Append(gemeente)
            .Append(". Geen informatie meer ontvangen? ").Append(unsubscribe.AbsoluteUri).Append('\n');

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"nl\">\n<head><meta charset=\"utf-8\"><title>").Append(E(campaign.Subject)).Append("</title></head>\n<body>\n")
            .Append("<p>").Append(E(campaign.Body)).Append("</p>\n");
        foreach (var e in entries)
        {
            html.Append("<h2>").Append(E(e.Name)).Append("</h2>\n<dl>\n");
            Item(html, "Voor wie", e.ForWhom);
            Item(html, "Zo verwijst u", e.HowToRefer);
            Item(html, "Eerste contact binnen", Hours(e.FirstContactHours));
            if (e.InfoUrl is not null)
            {
                html.Append("<dt>Meer informatie</dt><dd><a href=\"").Append(E(e.InfoUrl)).Append("\">").Append(E(e.InfoUrl)).Append("</a></dd>\n");
            }

            html.Append("</dl>\n");
        }

        html.Append("<p>Met vriendelijke groet,<br>").Append(E(gemeente)).Append("</p>\n")
            .Append("<p style=\"font-size:small\">U krijgt deze e-mail omdat u een zorgmelding deed via de hub van ").Append(E(gemeente))
            .Append(". <a href=\"").Append(E(unsubscribe.AbsoluteUri)).Append("\">Geen informatie meer ontvangen</a></p>\n</body>\n</html>\n");

        return new CampaignMail(campaign.Subject, text.ToString(), html.ToString());
    }

    private static string Hours(int hours) => hours % 24 == 0 && hours >= 48
        ? $"{(hours / 24).ToString(CultureInfo.InvariantCulture)} dagen"
        : $"{hours.ToString(CultureInfo.InvariantCulture)} uur";

    private static void Line(StringBuilder text, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            text.Append(label).Append(": ").Append(value).Append('\n');
        }
    }

    private static void Item(StringBuilder html, string label, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            html.Append("<dt>").Append(E(label)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");
        }
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
