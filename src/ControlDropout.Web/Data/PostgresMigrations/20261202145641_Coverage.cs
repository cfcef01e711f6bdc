using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.PostgresMigrations
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
                    CountyCode = table.Column<string>(type: "text", nullable: false),
                    TermId = table.Column<Guid>(type: "uuid", nullable: false),
                    StudentId = table.Column<Guid>(type: "uuid", nullable: false),
                    Week = table.Column<string>(type: "text", nullable: false),
                    Monday = table.Column<DateOnly>(type: "date", nullable: false),
                    VillageCode = table.Column<string>(type: "text", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Required = table.Column<int>(type: "integer", nullable: false),
                    Delivered = table.Column<int>(type: "integer", nullable: false),
                    PendingMissedFrom = table.Column<List<DateTimeOffset>>(type: "timestamp with time zone[]", nullable: false),
                    StaffIds = table.Column<List<Guid>>(type: "uuid[]", nullable: false)
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
