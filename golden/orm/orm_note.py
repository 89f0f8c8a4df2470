"""The SQLAlchemy note's program: the notebook's code, for SQLAlchemy 1.4.

    /usr/bin/python3 orm_note.py [URL]

The note's code is unchanged except for what a test needs:

1. this docstring;
2. the database: the note's ``create_engine('sqlite:///sqlalchemy_example.db')``
   takes the URL from the command line when one is given, so that the suite
   runs it on a file of its choosing.

tools/pynotes/cpython_orm.py runs this file as ``__main__`` for the ``orm-note``
program and the scenarios' ``note`` step (SQLAlchemy's echo log, when asked
for, through the ``sqlalchemy.engine.Engine`` logger, as ``echo=True`` would
set it up), and the scenarios' other steps use its Person and Address.
"""
import os,sys
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import relationship, sessionmaker
from sqlalchemy import create_engine

Base = declarative_base()


class Person(Base):

    __tablename__ = 'person'

    person_id = Column(Integer, primary_key = True)
    person_name = Column(String(250), nullable = False)


class Address(Base):
    __tablename__ = 'address'
    
    id_ = Column(Integer, primary_key=True)
    street_name = Column(String(250))
    street_number = Column(String(250))
    post_code = Column(String(250), nullable=False)
    person_id = Column(Integer, ForeignKey('person.person_id'))
    person = relationship(Person)

engine = create_engine(sys.argv[1] if len(sys.argv) > 1 else 'sqlite:///sqlalchemy_example.db')

Base.metadata.create_all(engine)


Base.metadata.bind = engine

DBSession = sessionmaker(bind=engine)

session = DBSession()

new_person = Person(person_name='new person')
session.add(new_person)
session.commit()


new_address = Address(post_code='0001' , person=new_person)
session.add(new_address)
session.commit()


print(session.query(Person).all())


person = session.query(Person).first()
print(person.person_name)
