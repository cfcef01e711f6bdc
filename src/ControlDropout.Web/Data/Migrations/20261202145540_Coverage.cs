using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Coverage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CoverageWeeks",
                columns: table => new
                {
                    CountyCode = table.Column<string>(type: "TEXT", nullable: false),
                    TermId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StudentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Week = table.Column<string>(type: "TEXT", nullable: false),
                    Monday = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    VillageCode = table.Column<string>(type: "TEXT", nullable: false),
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Required = table.Column<int>(type: "INTEGER", nullable: false),
                    Delivered = table.Column<int>(type: "INTEGER", nullable: false),
                    PendingMissedFrom = table.Column<string>(type: "TEXT", nullable: false),
                    StaffIds = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CoverageWeeks", x => new { x.CountyCode, x.TermId, x.StudentId, x.Week });
                });

            migrationBuilder.CreateIndex(
                name: "IX_CoverageWeeks_CountyCode_TermId_Week",
                table: "CoverageWeeks",
                columns: new[] { "CountyCode", "TermId", "Week" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CoverageWeeks");
        }
    }
}
