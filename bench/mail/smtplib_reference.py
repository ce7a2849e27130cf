#!/usr/bin/python3
"""Reference for bench/mail: sends the given .eml files with smtplib over one
connection, the way a small Python mailer would, and prints the seconds spent
sending (connection set-up included, interpreter start-up excluded).
Usage: smtplib_reference.py PORT MAIL_FROM RCPT_TO FILE..."""
import smtplib
import sys
import time


def main():
    port, mail_from, rcpt_to, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
    messages = []
    for name in files:
        with open(name, 'rb') as f:
            messages.append(f.read())
    start = time.perf_counter()
    with smtplib.SMTP('127.0.0.1', port) as smtp:
        for message in messages:
            smtp.sendmail(mail_from, [rcpt_to], message)
    print('%.6f' % (time.perf_counter() - start))


if __name__ == '__main__':
    main()
