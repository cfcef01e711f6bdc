using ControlDropout.Web.Features.People;
using CsCheck;
using FluentAssertions;
using Xunit;

namespace ControlDropout.Web.Tests.Features.People;

/// <summary>The 身份证号 reading the pages, the API and the roster import share (GB 11643, ISO 7064 MOD 11-2).</summary>
public sealed class IdentityNumbersTests
{
    /// <summary>Fixed so that a failure names the same numbers on every run.</summary>
    private const string Seed = "0N0XIzNsQ0O2";

    private static readonly Gen<(DateOnly Birth, int Sequence)> Holders =
        Gen.Select(Gen.Int[0, 365 * 60], Gen.Int[0, 999], (days, sequence) => (new DateOnly(1960, 1, 1).AddDays(days), sequence));

    [Theory]
    // The standard's worked example and a number whose check character is X.
    [InlineData("11010519491231002X", "1949-12-31", "女")]
    [InlineData("440524188001010014", "1880-01-01", "男")]
    public void A_well_formed_number_gives_its_birth_date_and_gender(string number, string birth, string gender)
    {
        var card = IdentityNumbers.Read(number.ToLowerInvariant(), out var problem);

        problem.Should().BeNull();
        card!.Value.BirthDate.Should().Be(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture));
        card.Value.Gender.Should().Be(gender);
    }

    [Theory]
    [InlineData("110105194912310021", "校验位")]
    [InlineData("11010519491331002X", "出生日期")]
    [InlineData("1101051949123100", "18 位")]
    [InlineData("11010519491231002Y", "18 位")]
    [InlineData("", "18 位")]
    public void A_wrong_number_is_refused_with_the_reason(string number, string reason)
    {
        IdentityNumbers.Read(number, out var problem).Should().BeNull();
        problem.Should().Contain(reason);
    }

    [Fact]
    public void Every_composed_number_reads_back_and_any_one_changed_digit_is_caught() =>
        Holders.Sample(holder =>
        {
            var number = IdentityNumbers.Compose("530902", holder.Birth, holder.Sequence);
            var card = IdentityNumbers.Read(number, out _);
            if (card is not { } read || read.BirthDate != holder.Birth || read.Gender != (holder.Sequence % 2 == 1 ? "男" : "女"))
            {
                return false;
            }
            // MOD 11-2 catches every single substituted digit among the first seventeen.
            for (var i = 0; i < 17; i++)
            {
                var changed = number.ToCharArray();
                changed[i] = (char)('0' + ((changed[i] - '0' + 1 + (i % 9)) % 10));
                if (IdentityNumbers.Read(new string(changed), out _) is { } wrong && IdentityNumbers.CheckCharacter(new string(changed)) == number[17])
                {
                    return false;
                }
            }
            return true;
        }, iter: 500, seed: Seed);
}
