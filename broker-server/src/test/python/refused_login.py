"""A refused login: a wrong password. RabbitMQ answers connection.start-ok with connection.close
403 ACCESS_REFUSED to a client that announces the authentication_failure_close capability, as
pika does (https://www.rabbitmq.com/docs/access-control, "Authentication failure notifications");
pika raises AuthenticationError-family errors carrying that reply.
"""
import pika

from tutorial_support import parameters, say

try:
    pika.BlockingConnection(parameters(password='not-the-password'))
    say('connected with a wrong password')
except pika.exceptions.ProbableAuthenticationError as e:
    say('refused: %s' % type(e).__name__)
    say('reason: %s' % e)
say('done')
