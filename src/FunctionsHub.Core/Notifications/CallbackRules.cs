using System.Net;
using System.Net.Sockets;

namespace FunctionsHub.Core.Notifications;

/// <summary>
/// Where the hub may send a notification (a guard against server-side request forgery: a callback
/// URL in the configuration must not make the hub call into its own network or the cloud's metadata
/// service). https only; http only to loopback, and loopback only, when
/// <paramref name="AllowHttpLoopback"/> (<c>Hub:Delivery:AllowHttpLoopback</c>, true only locally).
/// Every address a host resolves to is checked, not only the first, and the connection goes only to
/// an address that passed.
/// </summary>
public sealed record CallbackRules(bool AllowHttpLoopback)
{
    /// <summary>Why the URL itself is refused, or null when its scheme may be used.</summary>
    public string? RefusedScheme(Uri callback) => callback.Scheme switch
    {
        "https" => null,
        "http" when AllowHttpLoopback => null,
        "http" => "http-not-allowed",
        _ => "scheme-not-allowed",
    };

    /// <summary>Why an address that a callback's host resolved to is refused, or null when the hub may connect to it.</summary>
    public string? RefusedAddress(IPAddress address, string scheme)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return AllowHttpLoopback ? null : "loopback";
        }

        if (scheme != "https")
        {
            return "http-only-to-loopback";
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RefusedV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => RefusedV6(address),
            _ => "unknown-address-family",
        };
    }

    private static string? RefusedV4(byte[] a) => a switch
    {
        [0, ..] => "unspecified",
        [10, ..] => "private",
        [100, >= 64 and < 128, ..] => "shared-address-space",
        [169, 254, ..] => "link-local-or-metadata",
        [172, >= 16 and < 32, ..] => "private",
        [192, 0, 0, _] => "reserved",
        [192, 168, ..] => "private",
        [198, 18 or 19, ..] => "reserved",
        [168, 63, 129, 16] => "azure-platform",
        [>= 224, ..] => "multicast-or-reserved",
        _ => null,
    };

    private static string? RefusedV6(IPAddress address)
    {
        var a = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local";
        }

        if ((a[0] & 0xfe) == 0xfc)
        {
            return "unique-local";
        }

        if (address.IsIPv6Multicast)
        {
            return "multicast";
        }

        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) embed an IPv4 address the checks above must see.
        if (a is [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..])
        {
            return RefusedV4(a[12..]) ?? (IPAddress.IsLoopback(new IPAddress(a[12..])) ? "loopback" : null);
        }

        if (a is [0x20, 0x02, ..])
        {
            return RefusedV4(a[2..6]) ?? (a[2] == 127 ? "loopback" : null);
        }

        return null;
    }
}
