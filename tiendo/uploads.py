"""Uploads that stop at a size limit while they arrive (plan files, spreadsheets)."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitHandler(FileUploadHandler):
    """First upload handler of a view: stops storing a file as soon as it passes `limit`
    bytes, so a huge upload never fills memory or the temporary folder. The view then reads
    `too_large` and answers with its size message.

    The view must be csrf_exempt and check CSRF itself after inserting the handler: Django's
    CSRF middleware would otherwise read (and store) the whole upload before the view runs."""

    too_large = False

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
