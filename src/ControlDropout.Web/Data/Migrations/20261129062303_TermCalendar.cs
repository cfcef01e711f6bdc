using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TermCalendar : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TeachingWeekdays",
                table: "Terms",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.CreateTable(
                name: "Closures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    TownshipCode = table.Column<string>(type: "TEXT", nullable: true),
                    FirstDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    LastDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Closures", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Closures_CountyCode_FirstDay",
                table: "Closures",
                columns: new[] { "CountyCode", "FirstDay" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Closures");

            migrationBuilder.DropColumn(
                name: "TeachingWeekdays",
                table: "Terms");
        }
    }
}
