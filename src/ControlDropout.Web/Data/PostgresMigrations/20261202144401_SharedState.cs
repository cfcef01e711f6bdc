using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlDropout.Web.Data.PostgresMigrations
{
    /// <inheritdoc />
    public partial class SharedState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CheckedUploads",
                columns: table => new
                {
                    UserName = table.Column<string>(type: "text", nullable: false),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    FileName = table.Column<string>(type: "text", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    KeptUntilUnixSeconds = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CheckedUploads", x => new { x.UserName, x.Sha256 });
                });

            migrationBuilder.CreateTable(
                name: "ConfirmationMisses",
                columns: table => new
                {
                    Key = table.Column<string>(type: "text", nullable: false),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConfirmationMisses", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CheckedUploads_KeptUntilUnixSeconds",
                table: "CheckedUploads",
                column: "KeptUntilUnixSeconds");

            migrationBuilder.CreateIndex(
                name: "IX_ConfirmationMisses_Day",
                table: "ConfirmationMisses",
                column: "Day");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CheckedUploads");

            migrationBuilder.DropTable(
                name: "ConfirmationMisses");
        }
    }
}
