"""The schema's finishing touch: path parameters and responses described in both languages."""

from __future__ import annotations

PATH_PARAMETERS = {"id": "Số hiệu / Id", "code": "Mã / Code"}
RESPONSES = {"200": "Thành công / Success", "201": "Đã tạo / Created", "304": "Không đổi / Not modified",
             "400": "Yêu cầu sai / Bad request", "401": "Chưa đăng nhập / Not signed in",
             "403": "Không được phép / Not allowed", "404": "Không có, hoặc không được xem / Not found, or not yours "
             "to see", "409": "Xung đột: báo cáo đã đổi hoặc không ở bước này / Conflict: the report changed, or is "
             "not at this step", "429": "Quá nhiều yêu cầu / Too many requests"}


def describe(result, generator, request, public):
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and not parameter.get("description"):
                    parameter["description"] = PATH_PARAMETERS.get(parameter["name"], parameter["name"])
            for code, response in operation.get("responses", {}).items():
                if not response.get("description"):
                    response["description"] = RESPONSES.get(code, code)
    return result
