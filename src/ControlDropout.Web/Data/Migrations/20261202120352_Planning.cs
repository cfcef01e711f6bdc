using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Planning : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "MaxTravelMinutesPerDay",
                table: "Staff",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ChangePenaltyMinutes",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                // A county's policy stored before issue 15 gets the new default, not 0 (which would move children for nothing).
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "StartTimeStepMinutes",
                table: "Policies",
                type: "INTEGER",
                nullable: false,
                // 0 is not a grid: policies stored before issue 15 get the county default of 5 minutes.
                defaultValue: 5);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MaxTravelMinutesPerDay",
                table: "Staff");

            migrationBuilder.DropColumn(
                name: "ChangePenaltyMinutes",
                table: "Policies");

            migrationBuilder.DropColumn(
                name: "StartTimeStepMinutes",
                table: "Policies");
        }
    }
}
